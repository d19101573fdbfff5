import { CA_BUNDLE_PLACEHOLDER, differingNoise, stripNoise } from './noise.js';
import { toNormalizedYaml } from './normalized-yaml.js';
import { maskInlineText, maskResourcePair } from './secret-mask.js';
import type { SensitiveValues } from './sensitive-values.js';
import type { NoiseCategory } from './types.js';
import { stripVersionNoise, stripVersionNoiseLines, type VersionPairs } from './version-noise.js';

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
export function normalizeResourcePair(
  base: unknown,
  head: unknown,
  noiseFilter: boolean,
  sensitive: SensitiveValues,
  versions?: VersionPairs,
): NormalizedPair {
  // Labels and annotations that differ only by the bump's versions go first, from both sides at once.
  const versionNoise =
    noiseFilter && versions && base !== undefined && head !== undefined ? stripVersionNoise(base, head, versions) : undefined;
  if (versionNoise) {
    base = versionNoise.base;
    head = versionNoise.head;
  }
  const strippedBase = base === undefined ? undefined : stripNoise(base);
  const strippedHead = head === undefined ? undefined : stripNoise(head);
  const noise = strippedBase && strippedHead ? differingNoise(strippedBase.removed, strippedHead.removed) : [];
  if (versionNoise && versionNoise.removed.length > 0 && !noise.includes('chart-labels')) noise.push('chart-labels');
  const masked = maskResourcePair(noiseFilter ? strippedBase?.object : base, noiseFilter ? strippedHead?.object : head, sensitive, {
    generatedCertificatesAsNoise: noiseFilter,
  });
  if (masked.regeneratedCertificates && !noise.includes('generated-certificates')) noise.push('generated-certificates');
  const result: NormalizedPair = { noise: noise.sort() };
  if (masked.base !== undefined) result.base = toNormalizedYaml(masked.base);
  if (masked.head !== undefined) result.head = toNormalizedYaml(masked.head);
  return result;
}

/** `helm.sh/chart: x`, `app.kubernetes.io/version: "1.2"`, `checksum/config: abc` lines of a YAML file. */
const NOISE_LINES: Array<[NoiseCategory, RegExp]> = [
  ['chart-labels', /^\s*(?:- )?["']?(?:helm\.sh\/chart|app\.kubernetes\.io\/version)["']?:\s/],
  ['checksum-annotations', /^\s*(?:- )?["']?checksum\/[^:]*["']?:\s/],
];
const CA_BUNDLE_LINE = /^(\s*(?:- )?["']?caBundle["']?:\s*)(\S.*)$/;

/**
 * The text that is diffed for a CustomResourceDefinition, from its rendered file rather than
 * its parsed object: CRDs are the multi-megabyte resources of a render and walking and
 * re-serializing them costs about 150 ms per megabyte and side, filtering their lines a few
 * milliseconds. A CRD holds schemas, not credentials; the secrets that can still occur in
 * one (PEM blocks, vals/SOPS references, URL passwords) are masked in the text.
 */
export function normalizeDefinitionText(
  base: string | undefined,
  head: string | undefined,
  noiseFilter: boolean,
  sensitive: SensitiveValues,
  versions?: VersionPairs,
): NormalizedPair {
  const prepare = (content: string) => {
    const removed = new Map<NoiseCategory, string[]>();
    const kept: string[] = [];
    const lines = content.split('\n');
    let index = 0;
    while (index < lines.length && lines[index]!.startsWith('#')) index++;
    for (; index < lines.length; index++) {
      const line = lines[index]!;
      // Cheap substring tests first: the regular expressions run on a handful of lines only.
      const candidate = line.includes('helm.sh/chart') || line.includes('app.kubernetes.io/version') || line.includes('checksum/');
      const category = candidate ? NOISE_LINES.find(([, pattern]) => pattern.test(line))?.[0] : undefined;
      if (category) {
        removed.set(category, [...(removed.get(category) ?? []), line.trim()]);
        if (noiseFilter) continue;
      }
      const bundle = line.includes('caBundle') ? CA_BUNDLE_LINE.exec(line) : null;
      if (bundle) {
        removed.set('generated-certificates', [...(removed.get('generated-certificates') ?? []), bundle[2]!]);
        if (noiseFilter) {
          kept.push(`${bundle[1]}${CA_BUNDLE_PLACEHOLDER}`);
          continue;
        }
      }
      kept.push(line);
    }
    return { text: kept.join('\n'), removed };
  };
  const before = base === undefined ? undefined : prepare(base);
  const after = head === undefined ? undefined : prepare(head);
  const result: NormalizedPair = { noise: before && after ? differingNoise(before.removed, after.removed) : [] };
  if (noiseFilter && versions && before && after) {
    const stripped = stripVersionNoiseLines(before.text, after.text, versions);
    before.text = stripped.base;
    after.text = stripped.head;
    if (stripped.removed > 0 && !result.noise.includes('chart-labels')) result.noise = [...result.noise, 'chart-labels' as const].sort();
  }
  if (before) result.base = maskInlineText(before.text, after?.text, 'base', sensitive);
  if (after) result.head = maskInlineText(after.text, before?.text, 'head', sensitive);
  return result;
}
