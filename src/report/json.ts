import { resourceId } from '../model/resource-key.js';
import { causeOf } from './causes.js';
import { groupChanges, releaseId } from './grouping.js';
import type { ReportInput } from './report-input.js';
import { summarizeEnvironment, headline, isNothingToReport } from './summary.js';
import { groupIgnoredValues } from '../values/ignored-value.js';

/** Version of the JSON report's shape; raised on incompatible changes. */
export const JSON_REPORT_VERSION = 1;

/**
 * The report as JSON for other tools. Holds only masked diffs (never a resource's content or
 * parsed object); every string is scrubbed of recorded secret values. Keys in a fixed order.
 */
export function buildJsonReport(input: ReportInput): string {
  const { diff, findings } = input;
  const groups = groupChanges(diff.environments);
  const report = {
    version: JSON_REPORT_VERSION,
    base: input.base ?? null,
    head: input.head ?? null,
    settings: diff.settings,
    changed: !isNothingToReport(diff, findings),
    environments: diff.environments.map((environment) => {
      const summary = summarizeEnvironment(environment, findings);
      return {
        environment: environment.environment,
        status: environment.status,
        headline: headline(summary),
        /** The earlier environment whose changes are identical (reports show them once, there). */
        sameChangesAs: groups.environmentSameAs.get(environment.environment) ?? null,
        summary,
        noiseOnly: environment.noiseOnly,
        images: environment.images,
        releases: environment.releases.map((release) => ({
          name: release.name,
          status: release.status,
          base: release.base ?? null,
          head: release.head ?? null,
          counts: release.counts,
          sameChangesAs: groups.releaseSameAs.get(releaseId(environment.environment, release.name)) ?? null,
          resources: release.resources
            .filter((change) => change.status !== 'unchanged' || change.moved)
            .map((change) => ({
              id: resourceId(change.key),
              key: change.key,
              status: change.status,
              moved: change.moved,
              baseRelease: change.baseRelease ?? null,
              headRelease: change.headRelease ?? null,
              basePath: change.basePath ?? null,
              headPath: change.headPath ?? null,
              noiseOnly: change.noiseOnly,
              noise: change.noise,
              linesAdded: change.linesAdded,
              linesRemoved: change.linesRemoved,
              patch: change.patch,
              cause: causeOf(change),
              ...(change.causes ? { causes: change.causes } : {}),
            })),
        })),
      };
    }),
    findings: findings ? { introduced: findings.introduced, preexistingCount: findings.preexisting.length } : null,
    /** Files edited by hand on the pull request's branch, as the action's commit changes them back. */
    handEdits: (diff.handEdits ?? []).map((change) => ({
      environment: change.environment,
      path: change.headPath ?? change.basePath ?? null,
      key: change.key,
      cause: causeOf(change),
      linesAdded: change.linesAdded,
      linesRemoved: change.linesRemoved,
      patch: change.patch,
    })),
    /** Tools whose version differs from those that rendered the base's committed manifests. */
    toolchain: diff.toolchain ?? [],
    risks: input.risks ?? null,
    ...(input.checks?.length ? { checks: input.checks } : {}),
    /** Images the change deploys, resolved against their registries: digest and platforms. */
    ...(input.resolvedImages?.length ? { resolvedImages: input.resolvedImages } : {}),
    ...(input.ignoredValues?.length ? { ignoredValues: groupIgnoredValues(input.ignoredValues) } : {}),
  };
  return `${JSON.stringify(report, (_, value: unknown) => (typeof value === 'string' ? diff.sensitive.redact(value) : value), 2)}\n`;
}
