import type { RevisionSettings } from '../revision/index.js';
import type { PodSecurityLevel } from '../risk/index.js';

/** How two commits are compared: what to render, how to validate and how to diff (the action and `diff` alike). */
export interface CompareSettings extends Omit<RevisionSettings, 'requireDeclaredEnvironments'> {
  /** Where the Kubernetes OpenAPI documents are read from; default upstream. */
  kubernetesSchemas?: string;
  /** Kinds not validated (`Kind` or `Kind.group`); listed as skipped. */
  skipKinds: readonly string[];
  /** Unchanged lines around each change in the diff. */
  diffContext: number;
  /** Leave chart labels, checksum annotations and generated certificates out of the diff. */
  noiseFilter: boolean;
  /** Look for values the charts ignore on the head (default true). */
  valuesCheck?: boolean;
  /** Pod Security Standards level of a namespace without an enforce label (default privileged; see src/risk/pod-security.ts). */
  podSecurityDefault?: PodSecurityLevel;
}
