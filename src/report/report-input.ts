import type { ManifestDiff } from '../diff/types.js';
import type { Risk } from '../risk/types.js';
import type { CheckCoverage } from './check-coverage.js';
import type { ResolvedImage } from '../images/image-check.js';
import type { FindingsComparison } from '../validate/findings/finding.js';
import type { IgnoredValue } from '../values/ignored-value.js';

/** A side of the comparison as the report names it. */
export interface ReportRevision {
  ref: string;
  sha: string;
}

/** Everything a report is built from. */
export interface ReportInput {
  diff: ManifestDiff;
  /** Validation findings split into introduced / pre-existing; absent when validation did not run. */
  findings?: FindingsComparison;
  /** Risks of the change, high first (src/risk); absent when not analysed. */
  risks?: readonly Risk[];
  /** Keys the head's values set that their charts ignore; absent when not checked. */
  ignoredValues?: IgnoredValue[];
  /** What the extra checks (the API server sync check) covered; absent when none ran. */
  checks?: readonly CheckCoverage[];
  /** Images resolved against their registries: digest and platforms, shown beside the image changes; absent when not checked. */
  resolvedImages?: readonly ResolvedImage[];
  base?: ReportRevision;
  head?: ReportRevision;
}
