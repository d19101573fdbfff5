/** One release of the state `helmfile build` prints (the keys this project reads; helmfile writes more). */
export interface HelmfileStateRelease {
  name: string;
  namespace?: string;
  chart?: string;
  chartPath?: string;
  version?: string;
  installed?: boolean;
  labels?: Record<string, string>;
  needs?: string[];
  /** File paths (relative to the helmfile's directory) or, with --embed-values, the merged value maps. */
  values?: unknown[];
  secrets?: unknown[];
  [key: string]: unknown;
}

/** The state `helmfile build` prints: the helmfile of one environment after templating. */
export interface HelmfileState {
  environments?: Record<string, { values?: unknown[] }>;
  repositories?: Array<{ name?: string; url?: string; oci?: boolean; [key: string]: unknown }>;
  /** Absent from a state without releases (a helmfile of only `helmfiles:`); [] after parseBuiltStates. */
  releases: HelmfileStateRelease[];
  [key: string]: unknown;
}
