import { mapLimited } from '../concurrency/map-limited.js';
import type { EnvironmentManifests, ReleaseManifests } from '../model/manifests.js';
import { resourceId } from '../model/resource-key.js';
import { applyObjects, deleteObjects } from './apply-objects.js';
import { isHook } from './argo-cd-hooks.js';
import type { ApiServerRefusal, NotExercised } from './refusal.js';
import type { ClusterPool } from '../cluster/cluster-pool.js';
import type { ClusterStage } from '../cluster/cluster-stage.js';
import { isCustomResourceDefinition, isNamespace, syncObjectOf, type SyncObject } from './sync-order.js';

/**
 * Environments checked at once, each on a server of its own. One: establishing dozens of CRDs keeps
 * a server busy, and two on two cores only slow each other.
 */
const CONCURRENT_ENVIRONMENTS = 1;

export interface SyncCheckResult {
  /** What the server refuses when the head is synced over the base: each one fails Argo CD's sync. */
  refusals: ApiServerRefusal[];
  /** Base objects the server refused already; their head is checked as a new object. */
  baseRefusals: ApiServerRefusal[];
  notExercised: NotExercised[];
  /** The releases synced, per environment (those whose manifests the change touches). */
  checked: { environment: string; releases: string[] }[];
}

export interface SyncCheckOptions {
  skip?: (resource: { key: SyncObject['key'] }) => string | undefined;
  /** Checks that ride on each environment's sync, on the same cluster (the rehearsal). */
  stages?: readonly ClusterStage[];
}

/**
 * The sync check: for each environment the change touches, a fresh API server gets what the base
 * deploys (the touched releases, every CRD and Namespace of the environment), then the head as
 * Argo CD syncs it (server-side apply, CRDs first, waves, pruning what the head removes). The
 * `stages` run on the same cluster at the points of the sync they ask for.
 */
export async function syncCheck(
  pool: ClusterPool,
  base: readonly EnvironmentManifests[],
  head: readonly EnvironmentManifests[],
  options: SyncCheckOptions = {},
): Promise<SyncCheckResult> {
  const baseByName = new Map(base.map((environment) => [environment.environment, environment]));
  const plans = head
    .map((environment) => ({ head: environment, base: baseByName.get(environment.environment) }))
    .map(({ head: headEnvironment, base: baseEnvironment }) => ({
      environment: headEnvironment.environment,
      releases: touchedReleases(baseEnvironment, headEnvironment),
      base: baseEnvironment,
      head: headEnvironment,
    }))
    .filter((plan) => plan.releases.length > 0);
  let acquired = 0;
  const results = await mapLimited(plans, CONCURRENT_ENVIRONMENTS, async (plan) => {
    const touched = new Set(plan.releases);
    const baseObjects = plan.base ? objectsToSync(plan.base, touched, options) : [];
    const headObjects = objectsToSync(plan.head, touched, options);
    const cluster = await pool.acquire();
    // The next environment's cluster starts while this one is checked.
    if (++acquired < plans.length) pool.prestart();
    const stages = options.stages ?? [];
    try {
      for (const stage of stages) await stage.prepare?.(cluster, plan);
      const before = await applyObjects(cluster.client, baseObjects);
      for (const stage of stages) await stage.afterBase?.(cluster, plan);
      const after = await applyObjects(cluster.client, headObjects);
      const kept = new Set(headObjects.map((item) => resourceId(item.key)));
      // Argo CD never prunes hooks: they are not resources of the Application.
      const pruned = await deleteObjects(
        cluster.client,
        baseObjects.filter((item) => !kept.has(resourceId(item.key)) && !isHook(item.object)),
      );
      for (const stage of stages) await stage.afterHead?.(cluster, plan);
      return { before, after, pruned };
    } finally {
      await cluster.stop();
    }
  });
  const result: SyncCheckResult = { refusals: [], baseRefusals: [], notExercised: [], checked: [] };
  results.forEach((settled, index) => {
    if (settled.status === 'rejected') throw settled.reason;
    const { before, after, pruned } = settled.value;
    result.baseRefusals.push(...before.refused);
    result.refusals.push(...after.refused, ...pruned);
    result.notExercised.push(...after.notExercised);
    result.checked.push({ environment: plans[index]!.environment, releases: plans[index]!.releases });
  });
  return result;
}

/** Releases whose manifests differ between base and head (added, removed or changed), in name order. */
export function touchedReleases(base: EnvironmentManifests | undefined, head: EnvironmentManifests): string[] {
  const fingerprint = (release: ReleaseManifests | undefined) =>
    release
      ? release.resources
          .map((resource) => `${resource.path}\u0000${resource.content}`)
          .sort()
          .join('\u0001')
      : undefined;
  const baseReleases = new Map((base?.releases ?? []).map((release) => [release.release.name, release]));
  const headReleases = new Map(head.releases.map((release) => [release.release.name, release]));
  const names = new Set([...baseReleases.keys(), ...headReleases.keys()]);
  return [...names].filter((name) => fingerprint(baseReleases.get(name)) !== fingerprint(headReleases.get(name))).sort();
}

/**
 * The touched releases' objects, with what they need from the rest of the environment: the CRDs
 * of the kinds they use and the Namespaces. Only those: establishing a CRD costs the server a
 * noticeable share of a second, and a platform has dozens.
 */
function objectsToSync(environment: EnvironmentManifests, touched: ReadonlySet<string>, options: SyncCheckOptions): SyncObject[] {
  const resources = environment.releases.flatMap((release) => release.resources).filter((resource) => !options.skip?.(resource));
  const usedKinds = new Set(resources.filter((resource) => touched.has(resource.release)).map((resource) => kindOf(resource.key)));
  const wanted = (item: SyncObject) =>
    touched.has(item.release) || isNamespace(item) || (isCustomResourceDefinition(item) && usedKinds.has(definedKind(item.object)));
  return resources.map(syncObjectOf).filter(wanted);
}

function kindOf(key: { group: string; kind: string }): string {
  return `${key.group}/${key.kind}`;
}

/** `group/Kind` a CRD defines. */
function definedKind(crd: Record<string, unknown>): string {
  const spec = crd.spec as { group?: string; names?: { kind?: string } } | undefined;
  return `${spec?.group ?? ''}/${spec?.names?.kind ?? ''}`;
}
