import type { SideCheck } from '../compare/compare.js';
import type { CheckCoverage } from '../report/check-coverage.js';
import { apiServerRisks } from '../risk/api-server-refusals.js';
import { skipMatcher } from '../validate/skip-kinds.js';
import type { ClusterPool } from '../cluster/cluster-pool.js';
import { syncCheck, type SyncCheckResult } from './sync-check.js';
import type { EnvironmentCluster } from '../cluster/node-declaration.js';
import { Rehearsal } from '../rehearsal/rehearsal.js';

/** The check's name in logs, failure reports and the JSON report's `checks`. */
export const SYNC_CHECK_NAME = 'api-server';

/**
 * The sync check as a stage of the compare pipeline: what the API server refuses when the head is
 * synced over the base becomes high risks; the report says which server judged which releases,
 * and what it could not exercise.
 */
export function apiServerSyncCheck(
  pool: ClusterPool,
  options: {
    version: () => Promise<string>;
    skipKinds: readonly string[];
    /** Each environment's nodes: given, the rollout is rehearsed on them after the sync, on the same cluster. */
    rehearsal?: (environment: string) => EnvironmentCluster;
  },
): SideCheck {
  return {
    name: SYNC_CHECK_NAME,
    async run(sides, { log }) {
      const skip = skipMatcher(options.skipKinds);
      const rehearsal = options.rehearsal ? new Rehearsal(options.rehearsal, (resource) => skip(resource) !== undefined) : undefined;
      const result = await syncCheck(pool, sides.base, sides.head, { skip, stages: rehearsal ? [rehearsal] : [] });
      const coverage = [syncCheckCoverage(result, await options.version()), ...(rehearsal ? [rehearsal.coverage()] : [])];
      for (const check of coverage) log(check.summary);
      if (rehearsal) log(rehearsal.timing());
      return { risks: [...apiServerRisks(result.refusals), ...(rehearsal?.risks() ?? [])], coverage };
    },
  };
}

/** What the report says of the sync check (pure). */
export function syncCheckCoverage(result: SyncCheckResult, version: string): CheckCoverage {
  const synced = result.checked.map((environment) => `${environment.environment} (${environment.releases.join(', ')})`);
  const refused = result.refusals.length;
  const summary = synced.length
    ? `kube-apiserver ${version} synced the change in ${synced.join('; ')}: ` +
      (refused ? `${refused} object${refused === 1 ? '' : 's'} refused (listed under Risks)` : 'every object accepted')
    : `kube-apiserver ${version}: nothing to sync (no release's manifests change)`;
  const notExercised = [
    ...result.notExercised.map((item) => ({ path: item.path, reason: item.reason })),
    ...result.baseRefusals.map((refusal) => ({
      path: refusal.path,
      reason: `the base's object is refused already (${refusal.message}); the head's was checked as a new object`,
    })),
  ].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : a.reason < b.reason ? -1 : 1));
  return { check: SYNC_CHECK_NAME, summary, notExercised };
}
