import type { RenderedResource } from '../model/manifests.js';
import type { ResourceKey } from '../model/resource-key.js';
import { annotationsOf, hookTypes, isHook, isSkipped } from './argo-cd-hooks.js';

/** One object the check sends to the API server, with where it came from. */
export interface SyncObject {
  environment: string;
  release: string;
  key: ResourceKey;
  apiVersion: string;
  /** Manifest file (`<environment>/<release>/<file>`). */
  path: string;
  object: Record<string, unknown>;
}

export function syncObjectOf(resource: RenderedResource): SyncObject {
  const { environment, release, key, apiVersion, path, object } = resource;
  return { environment, release, key, apiVersion, path, object };
}

/**
 * How Argo CD treats an object, and so how the check sends it:
 *   apply:     server-side apply, the normal sync.
 *   recreate:  deleted, then applied: hooks (Argo CD's default hook policy, BeforeHookCreation) and
 *              objects with `Replace=true` or `Force=true` sync options.
 *   dry-run:   applied with `dryRun=All`: validated, never stored. Admission webhooks and
 *              APIServices would send every later request to a service that does not run here.
 *   skip:      not applied by a successful sync: `Skip`, `SyncFail` and delete hooks, the helm hooks
 *              Argo CD does not run (see argo-cd-hooks.ts).
 */
export type SyncTreatment = 'apply' | 'recreate' | 'dry-run' | 'skip';

/** Kinds whose registration would route the server's own requests to services that do not run here. */
const NOT_REGISTERED_KINDS = new Set([
  'admissionregistration.k8s.io/ValidatingWebhookConfiguration',
  'admissionregistration.k8s.io/MutatingWebhookConfiguration',
  'apiregistration.k8s.io/APIService',
]);

/**
 * The order Argo CD (gitops-engine) syncs kinds in within one wave; kinds not listed come after,
 * in name order. It is helm's install order: what others depend on comes first.
 */
const KIND_ORDER = [
  'Namespace',
  'NetworkPolicy',
  'ResourceQuota',
  'LimitRange',
  'PodSecurityPolicy',
  'PodDisruptionBudget',
  'ServiceAccount',
  'Secret',
  'ConfigMap',
  'StorageClass',
  'PersistentVolume',
  'PersistentVolumeClaim',
  'CustomResourceDefinition',
  'ClusterRole',
  'ClusterRoleBinding',
  'Role',
  'RoleBinding',
  'Service',
  'DaemonSet',
  'Pod',
  'ReplicationController',
  'ReplicaSet',
  'Deployment',
  'HorizontalPodAutoscaler',
  'StatefulSet',
  'Job',
  'CronJob',
  'IngressClass',
  'Ingress',
  'APIService',
];

/** Argo CD's sync phases a successful sync runs, in order (SyncFail hooks run only when a sync fails). */
const PHASES = ['PreSync', 'Sync', 'PostSync'] as const;
export type SyncPhase = (typeof PHASES)[number];

/**
 * The phase Argo CD first applies the object in (gitops-engine's `syncPhases`): Sync for an object
 * that is no hook, the phases a hook names (helm hooks mapped as Argo CD maps them, see
 * argo-cd-hooks.ts); undefined when a successful sync never applies it (Skip, SyncFail, delete
 * hooks, helm hooks Argo CD does not run). A hook naming two phases is applied again, deleted
 * and created as the same object: the server's verdict is the same, so the first one decides.
 */
export function syncPhase(object: Record<string, unknown>): SyncPhase | undefined {
  if (isSkipped(object)) return undefined;
  if (!isHook(object)) return 'Sync';
  const types = hookTypes(object);
  return PHASES.find((phase) => types.includes(phase));
}

/**
 * The sync wave as Argo CD reads it (gitops-engine's `syncwaves.Wave`): `argocd.argoproj.io/sync-wave`
 * when it is an integer, else `helm.sh/hook-weight` when it is one (on any object, hook or not), else 0.
 */
export function syncWave(object: Record<string, unknown>): number {
  const notes = annotationsOf(object);
  return integerOf(notes['argocd.argoproj.io/sync-wave']) ?? integerOf(notes['helm.sh/hook-weight']) ?? 0;
}

/** An annotation's value as Go's `strconv.Atoi` reads it: a whole decimal integer, nothing around it. */
function integerOf(value: unknown): number | undefined {
  const text = typeof value === 'number' ? String(value) : value;
  return typeof text === 'string' && /^[+-]?\d+$/.test(text) ? Number.parseInt(text, 10) : undefined;
}

export function syncTreatment(item: SyncObject): SyncTreatment {
  if (syncPhase(item.object) === undefined) return 'skip';
  if (NOT_REGISTERED_KINDS.has(`${item.key.group}/${item.key.kind}`)) return 'dry-run';
  // Argo CD's default hook delete policy, BeforeHookCreation: the hook of the last sync is deleted first.
  if (isHook(item.object)) return 'recreate';
  const options = annotationsOf(item.object)['argocd.argoproj.io/sync-options'];
  if (typeof options === 'string' && /(^|,)\s*(Replace|Force)=true\s*(,|$)/.test(options)) return 'recreate';
  return 'apply';
}

/** One step of a sync: objects applied together (in parallel), after every earlier step. */
export interface SyncStep {
  phase: SyncPhase;
  wave: number;
  kind: string;
  objects: SyncObject[];
}

/**
 * Groups the objects into Argo CD's order: phase, wave, then kind order. Namespaces and CRDs are
 * not in the steps: the check applies them first (see `applyEnvironment`), as a sync with
 * `CreateNamespace=true` and CRDs in earlier waves would.
 */
export function syncSteps(objects: readonly SyncObject[]): SyncStep[] {
  const steps = new Map<string, SyncStep>();
  for (const item of objects) {
    const phase = syncPhase(item.object);
    if (!phase) continue;
    const wave = syncWave(item.object);
    const id = `${phase}|${wave}|${item.key.kind}`;
    const step = steps.get(id) ?? { phase, wave, kind: item.key.kind, objects: [] };
    step.objects.push(item);
    steps.set(id, step);
  }
  return [...steps.values()].sort(
    (a, b) =>
      PHASES.indexOf(a.phase) - PHASES.indexOf(b.phase) || a.wave - b.wave || kindRank(a.kind) - kindRank(b.kind) || cmp(a.kind, b.kind),
  );
}

function kindRank(kind: string): number {
  const rank = KIND_ORDER.indexOf(kind);
  return rank === -1 ? KIND_ORDER.length : rank;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function isNamespace(item: SyncObject): boolean {
  return item.key.group === '' && item.key.kind === 'Namespace';
}

export function isCustomResourceDefinition(item: SyncObject): boolean {
  return item.key.group === 'apiextensions.k8s.io' && item.key.kind === 'CustomResourceDefinition';
}

/**
 * A CRD as the check stores it: a conversion webhook cannot answer here, so conversion between
 * versions is left to the API server (`None`: only apiVersion changes). Returns the note to list
 * as not exercised, when there was a webhook.
 */
export function withoutConversionWebhook(object: Record<string, unknown>): { object: Record<string, unknown>; webhook: boolean } {
  const spec = object.spec as { conversion?: { strategy?: unknown } } | undefined;
  if (spec?.conversion?.strategy !== 'Webhook') return { object, webhook: false };
  return { object: { ...object, spec: { ...spec, conversion: { strategy: 'None' } } }, webhook: true };
}
