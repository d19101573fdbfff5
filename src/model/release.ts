/** A release as `helmfile list` reports it for one environment. */
export interface HelmfileRelease {
  name: string;
  namespace: string;
  /** Chart reference as written in the helmfile (`repo/chart`, a path, or `oci://...`). */
  chart: string;
  /** Pinned chart version; '' when the helmfile leaves it open. */
  version: string;
  /** False for releases turned off (`installed: false` or a false `condition`). */
  enabled: boolean;
  labels: string;
}
