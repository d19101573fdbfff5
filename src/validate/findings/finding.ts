import type { ResourceKey } from '../../model/resource-key.js';

/** One problem validation found in one rendered resource. */
export interface Finding {
  environment: string;
  release: string;
  resource: ResourceKey;
  apiVersion: string;
  /** The file under the manifests directory, `/`-separated: `<environment>/<release>/<file>`. */
  file: string;
  /** 1-based line in that file, when the problem can be located. */
  line?: number;
  /** JSON path of the offending value (`.spec.template.spec.containers[0].image`), '' for the whole resource. */
  path: string;
  message: string;
  /** What kind of problem: a schema violation, a missing schema, an API version that is not served... */
  rule: string;
}

/** A resource that was not validated, and why (listed in every report). */
export interface SkippedResource {
  environment: string;
  release: string;
  resource: ResourceKey;
  apiVersion: string;
  file: string;
  reason: string;
}

/** Findings of a pull request, split into those it introduces and those already on the base. */
export interface FindingsComparison {
  introduced: Finding[];
  preexisting: Finding[];
  /** Findings of the base the pull request fixes (absent when not computed). */
  resolved?: Finding[];
}
