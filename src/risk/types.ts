import type { ResourceKey } from '../model/resource-key.js';

/**
 * How sure it is that the change breaks something:
 *   high:   the sync fails (the API server rejects the change) or the change is known to break a
 *           workload or the cluster's critical path; a person must look before merge.
 *   medium: the change commonly breaks at runtime, depending on what the software does with it.
 *   low:    worth knowing; nothing is known to break.
 */
export type RiskSeverity = 'high' | 'medium' | 'low';

export const SEVERITY_ORDER: readonly RiskSeverity[] = ['high', 'medium', 'low'];

/** Every rule; docs/risks.md lists each with its source in the Kubernetes API, under an anchor of its id. */
export const RISK_RULES = [
  'immutable-field',
  'pvc-shrink',
  'namespace-change',
  'crd-version-not-served',
  'crd-stored-version-removed',
  'crd-storage-version-changed',
  'crd-deleted-with-resources',
  'cel-validation',
  'cel-not-evaluated',
  'config-key-removed',
  'embedded-config-changed',
  'image-major-bump',
  'critical-daemonset',
  'node-agent-rollout',
  'privilege-added',
  'rbac-widened',
  'admission-webhook',
  'pod-security',
  'exposure',
  'replicas-to-zero',
  'pdb-blocks-eviction',
  'release-move',
  'generated-values',
  'api-server-refused',
  'rollout-blocked',
  'node-loss',
  'image-missing',
  'image-platform-missing',
] as const;

export type RiskRule = (typeof RISK_RULES)[number];

/** One thing that may make the sync fail or the workload break, found by comparing base and head. */
export interface Risk {
  rule: RiskRule;
  severity: RiskSeverity;
  environment: string;
  /** The release rendering the resource on head (on base when it is gone from head). */
  release: string;
  resource: ResourceKey;
  /** Manifest file of the resource (`<environment>/<release>/<file>`, head's, else base's); set by analyzeRisks. */
  path?: string;
  /** The field, `spec.selector`, `data.config.json` (absent when the whole resource is meant). */
  field?: string;
  /** Old and new value, short and masked (never a Secret's data); absent when it makes no sense. */
  change?: { from: string; to: string };
  /** What happens, in one sentence. */
  message: string;
  /** What to do about it. */
  fix: string;
  /** The offline rules this risk's verdict confirms (an `api-server-refused` risk the rules foresaw). */
  confirms?: RiskRule[];
  /** Further lines shown under the risk, e.g. the structured diff of an embedded config file. */
  details?: string[];
  /**
   * What the resource gains through this risk, in full, one item each: the permissions of an RBAC
   * rule (`create authentication.k8s.io/tokenreviews`), the privileges of a pod template
   * (`hostNetwork`, `NET_ADMIN`). `change.to` quotes them cut short; reports count these and fold the list.
   */
  gained?: string[];
  /**
   * Of `gained`, the items a reviewer must see without unfolding anything: the permissions that let
   * the holder take over more than its own work (see rbac.ts, `notablePermission`).
   */
  notable?: string[];
}
