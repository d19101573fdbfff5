import { skipMatcher } from '../validate/skip-kinds.js';
import { sortFindings } from '../validate/findings/ordering.js';
import type { ValidationReport } from '../validate/validate.js';
import type { EnvironmentManifests } from '../model/manifests.js';
import { rebuildDrill } from './rebuild-drill.js';
import { refusalFindings } from './refusal-findings.js';
import type { ApiServerPool } from './server-pool.js';

/**
 * The schema report with the rebuild drill's verdict added: each environment applied to an empty
 * API server; what it refuses becomes a finding (rule `api-server`) unless a schema finding
 * already says the same, and what it could not exercise is listed.
 */
export async function withRebuildDrill(
  report: ValidationReport,
  environments: readonly EnvironmentManifests[],
  pool: ApiServerPool,
  options: { version: string; skipKinds?: readonly string[] },
): Promise<ValidationReport> {
  const drill = await rebuildDrill(pool, environments, { skip: skipMatcher(options.skipKinds ?? []) });
  const notExercised = drill.notExercised
    .map((item) => ({ file: item.path, reason: item.reason }))
    .sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  return {
    ...report,
    findings: sortFindings([...report.findings, ...refusalFindings(drill.refusals, report.findings)]),
    apiServer: { version: options.version, notExercised },
  };
}
