import { skipMatcher } from '../validate/skip-kinds.js';
import { sortFindings } from '../validate/findings/ordering.js';
import type { ValidationReport } from '../validate/validate.js';
import type { Finding } from '../validate/findings/finding.js';
import type { Risk } from '../risk/types.js';
import type { EnvironmentManifests } from '../model/manifests.js';
import { rebuildDrill } from './rebuild-drill.js';
import type { EnvironmentCluster } from '../cluster/node-declaration.js';
import { Rehearsal } from '../rehearsal/rehearsal.js';
import { refusalFindings } from './refusal-findings.js';
import type { ClusterPool } from '../cluster/cluster-pool.js';

/**
 * The schema report with the rebuild drill's verdict added: each environment applied to an empty
 * API server; what it refuses becomes a finding (rule `api-server`) unless a schema finding
 * already says the same, and what it could not exercise is listed.
 */
export async function withRebuildDrill(
  report: ValidationReport,
  environments: readonly EnvironmentManifests[],
  pool: ClusterPool,
  options: { version: string; skipKinds?: readonly string[]; rehearsal?: (environment: string) => EnvironmentCluster },
): Promise<ValidationReport> {
  const skip = skipMatcher(options.skipKinds ?? []);
  const rehearsal = options.rehearsal ? new Rehearsal(options.rehearsal, (resource) => skip(resource) !== undefined) : undefined;
  const drill = await rebuildDrill(pool, environments, { skip, stages: rehearsal ? [rehearsal] : [] });
  const notExercised = drill.notExercised
    .map((item) => ({ file: item.path, reason: item.reason }))
    .sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  const rehearsed = rehearsal ? rehearsalFindings(rehearsal.risks(), environments) : [];
  const coverage = rehearsal?.coverage();
  return {
    ...report,
    findings: sortFindings([...report.findings, ...refusalFindings(drill.refusals, report.findings), ...rehearsed]),
    apiServer: {
      version: options.version,
      notExercised: [...notExercised, ...(coverage?.notExercised ?? []).map((item) => ({ file: item.path, reason: item.reason }))],
      ...(coverage ? { rehearsal: coverage.summary } : {}),
    },
  };
}

/** The rehearsal's risks as findings (rule `rollout-blocked` or `node-loss`): in the drill, every one is reported. */
function rehearsalFindings(risks: readonly Risk[], environments: readonly EnvironmentManifests[]): Finding[] {
  const apiVersions = new Map(
    environments.flatMap((environment) =>
      environment.releases.flatMap((release) => release.resources.map((resource) => [resource.path, resource.apiVersion] as const)),
    ),
  );
  return risks.map((risk) => ({
    environment: risk.environment,
    release: risk.release,
    resource: risk.resource,
    apiVersion: apiVersions.get(risk.path ?? '') ?? '',
    file: risk.path ?? '',
    path: risk.field ? `.${risk.field}` : '',
    message: `${risk.severity}: ${risk.message}`,
    rule: risk.rule,
  }));
}
