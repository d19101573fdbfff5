import { differingNoise, stripNoise } from './noise.js';
import { toNormalizedYaml } from './normalized-yaml.js';
import { maskResourcePair } from './secret-mask.js';
import type { SensitiveValues } from './sensitive-values.js';
import type { NoiseCategory } from './types.js';

export interface NormalizedPair {
  /** Masked YAML of each side (noise removed when the filter is on); undefined where the resource is absent. */
  base?: string;
  head?: string;
  /** Noise categories that differ between the sides. */
  noise: NoiseCategory[];
}

/**
 * The text that is diffed for one resource: noise removed, then secrets masked against the
 * other side, then written as YAML. Masking comes before any diff so that no secret can reach one.
 */
export function normalizeResourcePair(base: unknown, head: unknown, noiseFilter: boolean, sensitive: SensitiveValues): NormalizedPair {
  const strippedBase = base === undefined ? undefined : stripNoise(base);
  const strippedHead = head === undefined ? undefined : stripNoise(head);
  const noise = strippedBase && strippedHead ? differingNoise(strippedBase.removed, strippedHead.removed) : [];
  const masked = maskResourcePair(
    noiseFilter ? strippedBase?.object : base,
    noiseFilter ? strippedHead?.object : head,
    sensitive,
    { generatedCertificatesAsNoise: noiseFilter },
  );
  if (masked.regeneratedCertificates && !noise.includes('generated-certificates')) noise.push('generated-certificates');
  const result: NormalizedPair = { noise: noise.sort() };
  if (masked.base !== undefined) result.base = toNormalizedYaml(masked.base);
  if (masked.head !== undefined) result.head = toNormalizedYaml(masked.head);
  return result;
}
