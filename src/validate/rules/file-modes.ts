/**
 * File modes of projected volume files, checked as the API server does
 * (k8s.io/kubernetes pkg/apis/core/validation: validateSecretVolumeSource, validateConfigMapVolumeSource,
 * validateDownwardAPIVolumeSource, validateProjectedVolumeSource, validateKeyToPath): `defaultMode`
 * and each item's `mode` must lie between 0 and 0777. The OpenAPI schema only says int32, so
 * without this check `defaultMode: 755` (decimal, meant as 0755) passes review and the API
 * server rejects the workload at sync.
 */
export const MAX_FILE_MODE = 0o777;

/** Volume sources whose files take modes (`defaultMode` and `items[].mode`). */
const MODE_SOURCES = new Set(['secret', 'configMap', 'downwardAPI', 'projected']);

export interface FileModeViolation {
  segments: (string | number)[];
  value: number;
}

/** Every out-of-range file mode in a resource, wherever a pod spec's volumes sit in it. */
export function findFileModeViolations(object: unknown): FileModeViolation[] {
  const violations: FileModeViolation[] = [];
  walk(object, [], violations);
  return violations;
}

function walk(value: unknown, segments: (string | number)[], violations: FileModeViolation[]): void {
  if (Array.isArray(value)) {
    value.forEach((item, index) => walk(item, [...segments, index], violations));
    return;
  }
  if (typeof value !== 'object' || value === null) return;
  for (const [key, child] of Object.entries(value)) {
    const path = [...segments, key];
    if ((key === 'defaultMode' || key === 'mode') && insideModeSource(segments) && isOutOfRange(child)) {
      violations.push({ segments: path, value: Number(child) });
    }
    walk(child, path, violations);
  }
}

/** `…volumes[i].<source>` (defaultMode), `…<source>.items[j]` (mode) or `…projected.sources[k].<source>…`. */
function insideModeSource(segments: readonly (string | number)[]): boolean {
  if (!segments.includes('volumes')) return false;
  const last = segments[segments.length - 1];
  const beforeItem = segments[segments.length - 3];
  return (
    (typeof last === 'string' && MODE_SOURCES.has(last)) ||
    (segments[segments.length - 2] === 'items' && typeof beforeItem === 'string' && MODE_SOURCES.has(beforeItem))
  );
}

function isOutOfRange(value: unknown): boolean {
  return (typeof value === 'number' || typeof value === 'bigint') && (value < 0 || value > MAX_FILE_MODE);
}

/** The finding's message: the value as written, what it means, and the fix. */
export function fileModeMessage(violation: FileModeViolation): string {
  const field = violation.segments[violation.segments.length - 1];
  const asOctal = /^[0-7]{1,4}$/.test(String(violation.value))
    ? `; if ${violation.value} was meant as octal, write 0${violation.value}`
    : '';
  return `${field} ${violation.value} is not a file mode: the API server accepts 0 to 0777 (decimal 511)${asOctal}`;
}
