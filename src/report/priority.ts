import type { ResourceChange } from '../diff/types.js';

/**
 * Kinds whose changes can lose data or break many workloads at once, most dangerous first;
 * their diffs are shown before others when the body must be cut.
 */
const RISKY_KINDS = [
  'CustomResourceDefinition',
  'Namespace',
  'PersistentVolumeClaim',
  'PersistentVolume',
  'StorageClass',
  'StatefulSet',
  'Deployment',
  'DaemonSet',
  'ValidatingWebhookConfiguration',
  'MutatingWebhookConfiguration',
  'ClusterRole',
  'ClusterRoleBinding',
  'Role',
  'RoleBinding',
  'Service',
  'Ingress',
  'NetworkPolicy',
  'CronJob',
  'Job',
];

function kindRank(kind: string): number {
  const index = RISKY_KINDS.indexOf(kind);
  return index === -1 ? RISKY_KINDS.length : index;
}

/** Order in which resource diffs claim space: deletions first, then by risk of the kind, then smaller first. */
export function compareDiffPriority(a: ResourceChange, b: ResourceChange): number {
  const removedA = a.status === 'removed' ? 0 : 1;
  const removedB = b.status === 'removed' ? 0 : 1;
  return removedA - removedB || kindRank(a.key.kind) - kindRank(b.key.kind) || a.patch.length - b.patch.length;
}
