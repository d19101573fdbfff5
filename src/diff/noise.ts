import type { NoiseCategory } from './types.js';

/** Labels that change with every chart or app version bump (Helm's and Kubernetes' recommended labels). */
const VERSION_LABELS = new Set(['helm.sh/chart', 'app.kubernetes.io/version']);
/** Mappings that hold labels: metadata labels, pod template labels, selectors. */
const LABEL_MAPPINGS = new Set(['labels', 'matchLabels', 'selector']);
/** What a generated CA bundle reads as in normalized text, on both sides alike. */
export const CA_BUNDLE_PLACEHOLDER = '<generated CA bundle>';

export interface StrippedNoise {
  /** The object without noise; the input itself when it held none (copy on write). */
  object: unknown;
  /** Per category, the removed entries as `path=value`, to tell whether the noise differs between sides. */
  removed: Map<NoiseCategory, string[]>;
}

/** Removes version labels and checksum annotations, and replaces CA bundles by a placeholder. */
export function stripNoise(object: unknown): StrippedNoise {
  const removed = new Map<NoiseCategory, string[]>();
  const record = (category: NoiseCategory, path: string, value: unknown) => {
    let entries = removed.get(category);
    if (!entries) removed.set(category, (entries = []));
    entries.push(`${path}=${typeof value === 'string' ? value : JSON.stringify(value)}`);
  };
  const walk = (value: unknown, key: string, path: string): unknown => {
    if (Array.isArray(value)) {
      let copy: unknown[] | undefined;
      value.forEach((item, index) => {
        const next = walk(item, '', `${path}[${index}]`);
        if (next !== item) (copy ??= [...value])[index] = next;
      });
      return copy ?? value;
    }
    if (typeof value !== 'object' || value === null) return value;
    const map = value as Record<string, unknown>;
    let copy: Record<string, unknown> | undefined;
    const isLabels = LABEL_MAPPINGS.has(key);
    const isAnnotations = key === 'annotations';
    for (const [childKey, child] of Object.entries(map)) {
      const childPath = `${path}.${childKey}`;
      if (isLabels && VERSION_LABELS.has(childKey)) {
        record('chart-labels', childPath, child);
        delete (copy ??= { ...map })[childKey];
      } else if (isAnnotations && childKey.startsWith('checksum/')) {
        record('checksum-annotations', childPath, child);
        delete (copy ??= { ...map })[childKey];
      } else if (childKey === 'caBundle' && typeof child === 'string') {
        record('generated-certificates', childPath, child);
        (copy ??= { ...map })[childKey] = CA_BUNDLE_PLACEHOLDER;
      } else {
        const next = walk(child, childKey, childPath);
        if (next !== child) (copy ??= { ...map })[childKey] = next;
      }
    }
    return copy ?? map;
  };
  return { object: walk(object, '', ''), removed };
}

/** Categories whose removed entries differ between the two sides. */
export function differingNoise(base: Map<NoiseCategory, string[]>, head: Map<NoiseCategory, string[]>): NoiseCategory[] {
  const categories: NoiseCategory[] = ['chart-labels', 'checksum-annotations', 'generated-certificates'];
  return categories.filter((category) => (base.get(category) ?? []).join('\n') !== (head.get(category) ?? []).join('\n'));
}
