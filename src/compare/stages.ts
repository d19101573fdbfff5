import { diffManifests } from '../diff/diff-manifests.js';
import type { ManifestDiff } from '../diff/types.js';
import type { EnvironmentManifests } from '../model/manifests.js';
import type { RenderFailure } from '../render/errors.js';
import { analyzeRisks, compareRisks } from '../risk/analyze.js';
import { withServerVerdict } from '../risk/api-server-refusals.js';
import type { PodSecurityLevel } from '../risk/pod-security-checks.js';
import type { Risk } from '../risk/types.js';
import { compareFindings } from '../validate/findings/compare.js';
import { createSchemaSource, type SchemaSource } from '../validate/schemas/schema-source.js';
import { summaryLine } from '../validate/findings/output.js';
import { validateEnvironmentsReusing } from '../validate/validate.js';
import type { FindingsComparison } from '../validate/findings/finding.js';
import { checksEverything, type CompareSettings } from './settings.js';
import type { RenderedSides } from './render-sides.js';

/** Resources the diff counts (the action's `resources-*` outputs). */
export interface ResourceCounts {
  added: number;
  changed: number;
  removed: number;
  /** Resources rendered on head. */
  total: number;
}

export const NO_RESOURCE_COUNTS: ResourceCounts = { added: 0, changed: 0, removed: 0, total: 0 };

export interface ValidationResult {
  /** Validation errors the head introduces (those already on the base do not count). */
  introducedErrors: number;
  findings?: FindingsComparison;
}

/** The environments compared on each side: those that rendered on both (a missing side would read as "everything removed"). */
export interface ComparedSides {
  base: EnvironmentManifests[];
  head: EnvironmentManifests[];
}

/** The diff, and the environments it compared on each side (the risk analysis compares the same). */
export interface DiffResult extends ComparedSides {
  result: ManifestDiff;
  counts: ResourceCounts;
}

/** Every render failure of the comparison, base first, each tagged with its side. */
export function renderFailures(sides: Pick<RenderedSides, 'base' | 'head'> | undefined): RenderFailure[] {
  return [...(sides?.base.failures ?? []), ...(sides?.head.failures ?? [])];
}

/**
 * The environments the diff compares on one side: an environment that failed on either side is
 * left out, and a failure that names no environment leaves out all of them (pure).
 */
export function comparableEnvironments(
  environments: readonly EnvironmentManifests[],
  failures: readonly RenderFailure[],
): EnvironmentManifests[] {
  const failed = new Set(failures.map((failure) => failure.context.environment ?? '*'));
  return failed.has('*') ? [] : environments.filter((environment) => !failed.has(environment.environment));
}

/** The schemas validation reads, from the settings. */
export function schemaSource(settings: CompareSettings): SchemaSource {
  return createSchemaSource({
    kubernetesVersion: settings.kubeVersion,
    kubernetesSchemas: settings.kubernetesSchemas,
    cacheDirectory: settings.schemaCache,
  });
}

/**
 * Validates both renders against the Kubernetes schemas and the CRDs in the render; only what the
 * change introduces counts, findings already on the base never block. The base is validated
 * whole (its findings are the preexisting and resolved ones); a head resource whose path and bytes
 * are the base's, in an environment whose CRDs are all the base's, takes the base's outcome
 * instead of being validated again (validateEnvironmentsReusing): the findings are those
 * validating everything would give.
 */
export async function validateSides(
  sides: RenderedSides,
  settings: CompareSettings,
  schemas: SchemaSource,
  log: (message: string) => void,
): Promise<ValidationResult> {
  const { base, head } = sides;
  if (head.environments.length === 0) {
    log('validation skipped: nothing rendered on head');
    return { introducedErrors: 0 };
  }
  const options = { schemas, skipKinds: settings.skipKinds };
  const baseRun = base.environments.length > 0 ? await validateEnvironmentsReusing(base.environments, options) : undefined;
  const reusable = checksEverything(settings) ? undefined : baseRun?.outcomes;
  const headRun = await validateEnvironmentsReusing(head.environments, options, reusable);
  log(`head: ${summaryLine(headRun.report)}`);
  if (headRun.reused > 0) log(`${headRun.reused} head resource(s) unchanged since the base: validated once, on the base`);
  const findings = compareFindings(baseRun?.report.findings ?? [], headRun.report.findings);
  log(`${findings.introduced.length} introduced, ${findings.preexisting.length} already on the base`);
  return { introducedErrors: findings.introduced.length, findings };
}

/** Base against head, over the environments that rendered on both sides. */
export function diffSides(sides: RenderedSides, settings: CompareSettings, log: (message: string) => void): DiffResult {
  const failures = renderFailures(sides);
  const compared = {
    base: comparableEnvironments(sides.base.environments, failures),
    head: comparableEnvironments(sides.head.environments, failures),
  };
  const result = diffManifests(compared.base, compared.head, { contextLines: settings.diffContext, noiseFilter: settings.noiseFilter });
  const counts = resourceCounts(result, sides.head.environments);
  log(`${counts.added} added, ${counts.changed} changed, ${counts.removed} removed of ${counts.total} rendered resources`);
  return { result, counts, ...compared };
}

/** What the change risks on the compared environments, with the risks of any extra checks merged in, high first. */
export function findRisks(diff: DiffResult, extra: readonly Risk[] = [], podSecurityDefault?: PodSecurityLevel): Risk[] {
  const generatedValues = diff.head.flatMap((environment) => environment.generated ?? []);
  const found = analyzeRisks({ base: diff.base, head: diff.head, sensitive: diff.result.sensitive, generatedValues, podSecurityDefault });
  return withServerVerdict(found, extra).sort(compareRisks);
}

/** Counts of the diff's resources; a noise-only change counts as changed (pure). */
export function resourceCounts(diff: ManifestDiff, head: readonly EnvironmentManifests[]): ResourceCounts {
  const counts = { ...NO_RESOURCE_COUNTS };
  for (const environment of diff.environments) {
    for (const release of environment.releases) {
      counts.added += release.counts.added;
      counts.removed += release.counts.removed;
      counts.changed += release.counts.changed + release.counts.noiseOnly;
    }
  }
  counts.total = head.reduce((sum, environment) => sum + environment.releases.reduce((n, release) => n + release.resources.length, 0), 0);
  return counts;
}
