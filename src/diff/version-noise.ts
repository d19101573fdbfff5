/**
 * Version noise by meaning: a label or annotation value that differs between base and head only
 * by a version the bump itself changed (the release's chart version, the app version, a
 * subchart's version) says nothing a reviewer needs, whatever its key: `chart:
 * kube-prometheus-stack-79.5.0` -> `79.6.1`, `app.kubernetes.io/version`, `helm.sh/chart:
 * grafana-10.1.4`, `image-tag: v2.17.0`. The versions are learnt from the release metadata and
 * from the chart-style labels that differ, never from a list of keys.
 */

/** A version the bump changed, old -> new. */
export interface VersionPair {
  from: string;
  to: string;
}

/** `name-1.2.3`, `name-v1.2.3-rc.1`: Helm's `helm.sh/chart` value (chart name, then its version). */
const CHART_LABEL_VALUE = /^(.+?)-(v?\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.+-]+)?)$/;
/** A version on its own: `1.2.3`, `v0.81.0`, `2.17`, `12.2.1-ubuntu`. */
const VERSION_VALUE = /^v?\d+(?:\.\d+){1,3}(?:[-+][0-9A-Za-z.+-]+)?$/;
/** Keys whose values name a version of the chart or the app (Helm's and Kubernetes' recommended labels, and their common short forms). */
const VERSION_KEYS = /(?:^|[/.])(?:version|chart|app-version|appVersion)$/;
/** Mappings whose values are metadata; selectors are left out: a selector that changes with the version breaks the upgrade. */
const METADATA_MAPPINGS = new Set(['labels', 'annotations']);

/** Collects the version pairs of a bump, without duplicates, in a stable order (longest first). */
export class VersionPairs {
  private readonly pairs = new Map<string, VersionPair>();
  /** Compiled once per set of pairs: `explains` runs for every differing label of a render. */
  private compiled: { single: Array<{ pattern: RegExp; to: string }>; all: RegExp; first: Map<string, string> } | undefined;

  add(from: string | undefined, to: string | undefined): void {
    if (!from || !to || from === to || !/\d/.test(from) || !/\d/.test(to)) return;
    this.compiled = undefined;
    this.pairs.set(`${from}\u0000${to}`, { from, to });
    // `v1.21.1` in the helmfile, `1.21.1` in a label (and the other way round).
    const bare = (version: string) => version.replace(/^v(?=\d)/, '');
    if (bare(from) !== from || bare(to) !== to) this.pairs.set(`${bare(from)}\u0000${bare(to)}`, { from: bare(from), to: bare(to) });
  }

  /** Learns pairs from the metadata labels of one resource on both sides (chart-style and version-style values). */
  addFromLabels(base: unknown, head: unknown): void {
    const before = labelsOf(base);
    const after = labelsOf(head);
    for (const [key, value] of Object.entries(before)) {
      const other = after[key];
      if (typeof value !== 'string' || typeof other !== 'string' || value === other || !VERSION_KEYS.test(key)) continue;
      const chartBefore = CHART_LABEL_VALUE.exec(value);
      const chartAfter = CHART_LABEL_VALUE.exec(other);
      if (chartBefore && chartAfter && chartBefore[1] === chartAfter[1]) this.add(chartBefore[2], chartAfter[2]);
      else if (VERSION_VALUE.test(value) && VERSION_VALUE.test(other)) this.add(value, other);
    }
  }

  get size(): number {
    return this.pairs.size;
  }

  list(): VersionPair[] {
    return [...this.pairs.values()].sort(
      (a, b) => b.from.length - a.from.length || (a.from < b.from ? -1 : a.from > b.from ? 1 : a.to < b.to ? -1 : a.to > b.to ? 1 : 0),
    );
  }

  /** Whether `head` is `base` with old versions replaced by new ones (every occurrence of one pair, or of all pairs at once). */
  explains(base: string, head: string): boolean {
    if (base === head || this.pairs.size === 0) return false;
    if (!this.compiled) {
      const pairs = this.list();
      const first = new Map<string, string>();
      for (const pair of pairs) if (!first.has(pair.from)) first.set(pair.from, pair.to);
      this.compiled = {
        single: pairs.map((pair) => ({ pattern: wholeVersion(escape(pair.from)), to: pair.to })),
        all: wholeVersion([...first.keys()].map(escape).join('|')),
        first,
      };
    }
    const { single, all, first } = this.compiled;
    if (single.some(({ pattern, to }) => base.replace(pattern, () => to) === head)) return true;
    return base.replace(all, (match) => first.get(match)!) === head;
  }
}

/** A version as a whole: not inside a longer number (`1.2.3` in `11.2.3` or `1.2.3.4`). */
function wholeVersion(alternatives: string): RegExp {
  return new RegExp(`(?<![0-9.])(?:${alternatives})(?![0-9]|\\.[0-9])`, 'g');
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function labelsOf(object: unknown): Record<string, unknown> {
  const metadata = isRecord(object) && isRecord(object.metadata) ? object.metadata : undefined;
  return metadata && isRecord(metadata.labels) ? metadata.labels : {};
}

export interface VersionNoiseResult {
  base: unknown;
  head: unknown;
  /** `path=base->head` of every label or annotation removed from both sides. */
  removed: string[];
}

/**
 * Removes from both sides every label and annotation (at any depth: pod templates too) whose
 * values differ only by the bump's versions. Copy on write: untouched objects are returned as they are.
 */
export function stripVersionNoise(base: unknown, head: unknown, versions: VersionPairs): VersionNoiseResult {
  const removed: string[] = [];
  if (versions.size === 0) return { base, head, removed };
  const walk = (before: unknown, after: unknown, key: string, path: string): [unknown, unknown] => {
    if (Array.isArray(before) && Array.isArray(after)) {
      let copyBefore: unknown[] | undefined;
      let copyAfter: unknown[] | undefined;
      before.forEach((item, index) => {
        if (index >= after.length) return;
        const [nextBefore, nextAfter] = walk(item, after[index], '', `${path}[${index}]`);
        if (nextBefore !== item) (copyBefore ??= [...before])[index] = nextBefore;
        if (nextAfter !== after[index]) (copyAfter ??= [...after])[index] = nextAfter;
      });
      return [copyBefore ?? before, copyAfter ?? after];
    }
    if (!isRecord(before) || !isRecord(after)) return [before, after];
    let copyBefore: Record<string, unknown> | undefined;
    let copyAfter: Record<string, unknown> | undefined;
    const metadata = METADATA_MAPPINGS.has(key);
    for (const [childKey, child] of Object.entries(before)) {
      if (!(childKey in after)) continue;
      const counterpart = after[childKey];
      if (metadata) {
        // `checksum/*` annotations are counted as what they are (see noise.ts), even when a version is hashed in.
        if (
          !childKey.startsWith('checksum/') &&
          typeof child === 'string' &&
          typeof counterpart === 'string' &&
          versions.explains(child, counterpart)
        ) {
          removed.push(`${path}.${childKey}=${child}->${counterpart}`);
          delete (copyBefore ??= { ...before })[childKey];
          delete (copyAfter ??= { ...after })[childKey];
        }
        continue;
      }
      const [nextBefore, nextAfter] = walk(child, counterpart, childKey, `${path}.${childKey}`);
      if (nextBefore !== child) (copyBefore ??= { ...before })[childKey] = nextBefore;
      if (nextAfter !== counterpart) (copyAfter ??= { ...after })[childKey] = nextAfter;
    }
    return [copyBefore ?? before, copyAfter ?? after];
  };
  const [nextBase, nextHead] = walk(base, head, '', '');
  return { base: nextBase, head: nextHead, removed };
}

/**
 * The same for a CustomResourceDefinition's text (diffed as text, see normalize.ts): lines of its
 * top-level `metadata` block that differ only by the bump's versions are removed from both sides.
 */
export function stripVersionNoiseLines(
  base: string,
  head: string,
  versions: VersionPairs,
): { base: string; head: string; removed: number } {
  if (versions.size === 0) return { base, head, removed: 0 };
  const metadataRange = (lines: string[]) => {
    const start = lines.findIndex((line) => line === 'metadata:');
    if (start === -1) return [0, 0] as const;
    let end = start + 1;
    while (end < lines.length && (lines[end]!.startsWith(' ') || lines[end] === '')) end++;
    return [start + 1, end] as const;
  };
  const baseLines = base.split('\n');
  const headLines = head.split('\n');
  const [baseStart, baseEnd] = metadataRange(baseLines);
  const [headStart, headEnd] = metadataRange(headLines);
  const headIndex = new Map<string, number[]>();
  for (let index = headStart; index < headEnd; index++)
    headIndex.set(headLines[index]!, [...(headIndex.get(headLines[index]!) ?? []), index]);
  const dropBase = new Set<number>();
  const dropHead = new Set<number>();
  for (let index = baseStart; index < baseEnd; index++) {
    const line = baseLines[index]!;
    if (headIndex.has(line)) continue;
    for (const candidate of headIndex.keys()) {
      if (!versions.explains(line, candidate)) continue;
      const free = headIndex.get(candidate)!.find((position) => !dropHead.has(position));
      if (free === undefined) continue;
      dropBase.add(index);
      dropHead.add(free);
      break;
    }
  }
  if (dropBase.size === 0) return { base, head, removed: 0 };
  return {
    base: baseLines.filter((_, index) => !dropBase.has(index)).join('\n'),
    head: headLines.filter((_, index) => !dropHead.has(index)).join('\n'),
    removed: dropBase.size,
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
