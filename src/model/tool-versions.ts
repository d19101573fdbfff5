/** The helm and helmfile versions a render ran with (or is asked to run with); a version left out is unknown or not pinned. */
export interface ToolVersions {
  helm?: string;
  helmfile?: string;
}
