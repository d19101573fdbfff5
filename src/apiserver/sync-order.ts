import type { RenderedResource } from '../render/resource.js';
import type { ResourceKey } from '../render/resource-key.js';

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
 *   skip:      not applied by a sync (`Skip` and `SyncFail` hooks).
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

/** Argo CD's sync phases, in order; helm hooks map onto them as Argo CD maps them. */
const PHASES = ['PreSync', 'Sync', 'PostSync'] as const;
export type SyncPhase = (typeof PHASES)[number];

const HELM_HOOK_PHASES: Record<string, SyncPhase> = {
  'pre-install': 'PreSync',
  'pre-upgrade': 'PreSync',
  'post-install': 'PostSync',
  'post-upgrade': 'PostSync',
};

function annotations(object: Record<string, unknown>): Record<string, unknown> {
  const metadata = object.metadata as { annotations?: unknown } | undefined;
  const value = metadata?.annotations;
  return value && typeof value === 'object' ? (value as Record<string, unknown>) : {};
}

function hookNames(object: Record<string, unknown>): { argo: string[]; helm: string[] } {
  const list = (value: unknown) =>
    typeof value === 'string'
      ? value
          .split(',')
          .map((part) => part.trim())
          .filter(Boolean)
      : [];
  const notes = annotations(object);
  return { argo: list(notes['argocd.argoproj.io/hook']), helm: list(notes['helm.sh/hook']) };
}

/** The phase Argo CD runs the object in; undefined when a sync never applies it. */
export function syncPhase(object: Record<string, unknown>): SyncPhase | undefined {
  const hooks = hookNames(object);
  if (hooks.argo.length) {
    // Skip, SyncFail and the delete hooks never run in a successful sync.
    return PHASES.find((candidate) => hooks.argo.includes(candidate));
  }
  if (hooks.helm.length) return hooks.helm.map((hook) => HELM_HOOK_PHASES[hook]).find((candidate) => candidate !== undefined);
  return 'Sync';
}

/** The sync wave (`argocd.argoproj.io/sync-wave`, or a helm hook's weight, as Argo CD reads it); 0 when absent. */
export function syncWave(object: Record<string, unknown>): number {
  const notes = annotations(object);
  const raw = notes['argocd.argoproj.io/sync-wave'] ?? (hookNames(object).helm.length ? notes['helm.sh/hook-weight'] : undefined);
  const wave = typeof raw === 'string' || typeof raw === 'number' ? Number.parseInt(String(raw), 10) : 0;
  return Number.isFinite(wave) ? wave : 0;
}

export function syncTreatment(item: SyncObject): SyncTreatment {
  if (NOT_REGISTERED_KINDS.has(`${item.key.group}/${item.key.kind}`)) return 'dry-run';
  if (syncPhase(item.object) === undefined) return 'skip';
  const hooks = hookNames(item.object);
  if (hooks.argo.length || hooks.helm.length) return 'recreate';
  const options = annotations(item.object)['argocd.argoproj.io/sync-options'];
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
