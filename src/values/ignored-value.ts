/** A value a release's values file sets that the release's chart ignores. */
export interface IgnoredValue {
  environment: string;
  release: string;
  /** `cilium/cilium@1.19.0`, or the local chart's path. */
  chart: string;
  /** The values file that sets it, relative to the base directory, `/`-separated; the helmfile for inline values. */
  file: string;
  line?: number;
  /** Dotted key path: `hubble.tls.autoo`. */
  key: string;
  /** The chart's nearest key at that place, dotted. */
  closest?: string;
}

/** One ignored key as set by one values file, with every environment it is ignored in. */
export interface IgnoredValueGroup extends Omit<IgnoredValue, 'environment'> {
  environments: string[];
}

/** A values file shared by environments sets the same key for each: one entry, every environment named. */
export function groupIgnoredValues(values: readonly IgnoredValue[]): IgnoredValueGroup[] {
  const groups = new Map<string, IgnoredValueGroup>();
  for (const { environment, ...value } of values) {
    const id = JSON.stringify([value.file, value.line, value.key, value.release, value.chart]);
    const group = groups.get(id);
    if (group) group.environments.push(environment);
    else groups.set(id, { ...value, environments: [environment] });
  }
  return [...groups.values()].sort((a, b) =>
    a.file === b.file ? (a.line ?? 0) - (b.line ?? 0) || (a.key < b.key ? -1 : 1) : a.file < b.file ? -1 : 1,
  );
}

/** `helmfile/values/cilium.yaml.gotmpl:12: hubble.tls.autoo is not a value of cilium/cilium@1.19.0 (...); did you mean ...` */
export function formatIgnoredValue(value: IgnoredValueGroup): string {
  const where = value.line ? `${value.file}:${value.line}` : value.file;
  return (
    `${where}: ${value.key} is not a value of ${value.chart} ` +
    `(release ${value.release}, ${value.environments.length > 1 ? 'environments' : 'environment'} ${value.environments.join(', ')}); ` +
    `helm ignores it${value.closest ? `; did you mean ${value.closest}?` : ''} [ignored-value]`
  );
}

/** The terminal form: one line per key, then a count. */
export function formatIgnoredValuesText(values: readonly IgnoredValue[]): string {
  const groups = groupIgnoredValues(values);
  return `${[...groups.map(formatIgnoredValue), `${groups.length} value(s) the charts ignore`].join('\n')}\n`;
}
