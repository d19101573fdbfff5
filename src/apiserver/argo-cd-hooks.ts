/**
 * Hooks as Argo CD (gitops-engine, `pkg/sync/hook`) reads them from an object's annotations. Pure.
 *
 * - `argocd.argoproj.io/hook` names Argo CD hook types, comma-separated; unknown names are ignored.
 * - Only when it names none are helm hooks read (`helm.sh/hook`): pre-install and pre-upgrade run as
 *   PreSync, post-install and post-upgrade as PostSync. Every other helm hook (pre-delete,
 *   post-delete, pre-rollback, post-rollback; test hooks are never rendered) is never run by a sync.
 * - `helm.sh/hook: crd-install` alone is no hook at all: Argo CD applies the object as any other.
 * - `Skip` alone means the object is not applied at all; beside another type it is ignored.
 */

/** The Argo CD hook types a sync knows; the delete hooks run only when the Application is deleted. */
const ARGO_CD_HOOK_TYPES = new Set(['PreSync', 'Sync', 'PostSync', 'SyncFail', 'Skip', 'PreDelete', 'PostDelete']);

/** The helm hooks Argo CD runs, as the Argo CD hook type it runs each as. */
const HELM_HOOK_TYPES: Readonly<Record<string, string>> = {
  'pre-install': 'PreSync',
  'pre-upgrade': 'PreSync',
  'post-install': 'PostSync',
  'post-upgrade': 'PostSync',
};

export const ARGO_CD_HOOK_ANNOTATION = 'argocd.argoproj.io/hook';
export const HELM_HOOK_ANNOTATION = 'helm.sh/hook';

export function annotationsOf(object: Record<string, unknown>): Record<string, unknown> {
  const metadata = object.metadata as { annotations?: unknown } | undefined;
  const value = metadata?.annotations;
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function commaSeparated(value: unknown): string[] {
  return typeof value === 'string'
    ? value
        .split(',')
        .map((part) => part.trim())
        .filter(Boolean)
    : [];
}

/** The Argo CD hook types of the object: its own, else those its helm hooks map to. */
export function hookTypes(object: Record<string, unknown>): string[] {
  const notes = annotationsOf(object);
  const argo = commaSeparated(notes[ARGO_CD_HOOK_ANNOTATION]).filter((type) => ARGO_CD_HOOK_TYPES.has(type));
  if (argo.length) return argo;
  return commaSeparated(notes[HELM_HOOK_ANNOTATION]).flatMap((type) => HELM_HOOK_TYPES[type] ?? []);
}

/** `argocd.argoproj.io/hook: Skip` (alone): Argo CD does not apply the object. */
export function isSkipped(object: Record<string, unknown>): boolean {
  const types = hookTypes(object);
  return types.length === 1 && types[0] === 'Skip';
}

/**
 * Whether Argo CD treats the object as a hook: run in its phases only, deleted and created again
 * on every sync, never pruned. An annotation that names no type Argo CD runs still makes a hook,
 * one a sync never runs.
 */
export function isHook(object: Record<string, unknown>): boolean {
  const notes = annotationsOf(object);
  if (ARGO_CD_HOOK_ANNOTATION in notes) return !isSkipped(object);
  return HELM_HOOK_ANNOTATION in notes && notes[HELM_HOOK_ANNOTATION] !== 'crd-install';
}
