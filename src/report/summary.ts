import type { EnvironmentDiff, ManifestDiff, NoiseCategory, ReleaseDiff } from '../diff/types.js';
import type { FindingsComparison } from '../validate/findings/finding.js';

export interface EnvironmentSummary {
  environment: string;
  status: EnvironmentDiff['status'];
  releasesChanged: number;
  releasesAdded: number;
  releasesRemoved: number;
  chartsUpgraded: number;
  /** Releases whose chart version went down or whose chart reference changed. */
  chartsOtherwiseChanged: number;
  /** Introduced validation findings; undefined when validation did not run. */
  validationErrors?: number;
  noiseOnly: number;
}

export type VersionChange = 'upgraded' | 'downgraded' | 'changed' | 'same';

/** Compares chart versions numerically part by part (`1.10.0` > `1.9.2`); other differences are `changed`. */
export function versionChange(release: ReleaseDiff): VersionChange {
  const before = release.base;
  const after = release.head;
  if (!before || !after) return 'same';
  if (before.chart !== after.chart) return 'changed';
  if (before.version === after.version) return 'same';
  const parse = (version: string) => /^v?(\d+)\.(\d+)\.(\d+)/.exec(version)?.slice(1).map(Number);
  const a = parse(before.version);
  const b = parse(after.version);
  if (!a || !b) return 'changed';
  for (let i = 0; i < 3; i++) if (a[i]! !== b[i]!) return b[i]! > a[i]! ? 'upgraded' : 'downgraded';
  return 'changed';
}

export function summarizeEnvironment(environment: EnvironmentDiff, findings?: FindingsComparison): EnvironmentSummary {
  const changed = environment.releases.filter((release) => release.status !== 'unchanged');
  const versions = environment.releases.map(versionChange);
  const summary: EnvironmentSummary = {
    environment: environment.environment,
    status: environment.status,
    releasesChanged: changed.length,
    releasesAdded: changed.filter((release) => release.status === 'added').length,
    releasesRemoved: changed.filter((release) => release.status === 'removed').length,
    chartsUpgraded: versions.filter((v) => v === 'upgraded').length,
    chartsOtherwiseChanged: versions.filter((v) => v === 'downgraded' || v === 'changed').length,
    noiseOnly: environment.noiseOnly.count,
  };
  if (findings) summary.validationErrors = findings.introduced.filter((finding) => finding.environment === environment.environment).length;
  return summary;
}

/**
 * An environment's line at the top of every report: its headline, or, when it repeats another
 * environment's changes, that environment's name (with its own count of validation errors).
 */
export function environmentLine(environment: EnvironmentDiff, sameAs: string | undefined, findings?: FindingsComparison): string {
  if (sameAs === undefined) return headline(summarizeEnvironment(environment, findings));
  const errors = findings?.introduced.filter((finding) => finding.environment === environment.environment).length;
  return `${environment.environment}: same changes as ${sameAs}${errors === undefined ? '' : `, ${plural(errors, 'validation error')}`}`;
}

/** The heading of an environment's section: its name, and whether the change adds or removes it. */
export function environmentTitle(environment: EnvironmentDiff): string {
  const note = environment.status === 'added' ? ' (new environment)' : environment.status === 'removed' ? ' (environment removed)' : '';
  return `${environment.environment}${note}`;
}

/** "41 resources changed only in ..." over the environments; undefined when no resource changed only in noise. */
export function noiseSummary(environments: readonly EnvironmentDiff[]): string | undefined {
  const count = environments.reduce((sum, environment) => sum + environment.noiseOnly.count, 0);
  if (count === 0) return undefined;
  return noiseLine(count, [...new Set(environments.flatMap((environment) => environment.noiseOnly.categories))]);
}

/** What a release's line or row shows: its chart, its version (`before <arrow> after` when it changes) and its counts. */
export function releaseSummary(release: ReleaseDiff, arrow = '->'): { chart: string; version: string; counts: string } {
  return { chart: chartText(release), version: versionText(release).replace(' -> ', ` ${arrow} `), counts: releaseCounts(release) };
}

/** "production: 3 releases changed (1 added), 2 charts upgraded, 0 validation errors" */
export function headline(summary: EnvironmentSummary): string {
  const parts: string[] = [];
  if (summary.status === 'added') parts.push('new environment');
  if (summary.status === 'removed') parts.push('environment removed');
  const detail = [
    summary.releasesAdded ? `${summary.releasesAdded} added` : '',
    summary.releasesRemoved ? `${summary.releasesRemoved} removed` : '',
  ]
    .filter(Boolean)
    .join(', ');
  parts.push(`${plural(summary.releasesChanged, 'release')} changed${detail ? ` (${detail})` : ''}`);
  parts.push(`${plural(summary.chartsUpgraded, 'chart')} upgraded`);
  if (summary.chartsOtherwiseChanged) parts.push(`${plural(summary.chartsOtherwiseChanged, 'chart')} downgraded or replaced`);
  if (summary.validationErrors !== undefined) parts.push(`${plural(summary.validationErrors, 'validation error')}`);
  return `${summary.environment}: ${parts.join(', ')}`;
}

const NOISE_NAMES: Record<NoiseCategory, string> = {
  'chart-labels': 'chart/version labels',
  'checksum-annotations': 'checksum annotations',
  'generated-certificates': 'generated certificates',
};

/** "41 resources changed only in chart/version labels and checksum annotations" */
export function noiseLine(count: number, categories: readonly NoiseCategory[]): string {
  const names = categories.map((category) => NOISE_NAMES[category]);
  const list = names.length <= 1 ? (names[0] ?? 'noise') : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
  return `${count} ${count === 1 ? 'resource' : 'resources'} changed only in ${list}`;
}

export function noiseNames(categories: readonly NoiseCategory[]): string {
  return categories.map((category) => NOISE_NAMES[category]).join(', ');
}

/** True when the change has nothing a reviewer needs to read: no real change, no new finding. */
export function isNothingToReport(diff: ManifestDiff, findings?: FindingsComparison): boolean {
  if (findings && findings.introduced.length > 0) return false;
  if (diff.handEdits?.length) return false;
  return diff.environments.every(
    (environment) =>
      environment.status !== 'added' &&
      environment.status !== 'removed' &&
      environment.releases.every((release) => release.status === 'unchanged'),
  );
}

export function plural(count: number, noun: string): string {
  return `${count} ${count === 1 ? noun : `${noun}s`}`;
}

/**
 * `+2 -1 ~3` style counts of a release's resources with real changes, then those changed only
 * in noise: `+0 -0 ~1, 103 version-only` (only chart/app version labels differ) or `noise-only`.
 */
export function releaseCounts(release: ReleaseDiff): string {
  const { added, removed, changed, movedIn, movedOut, noiseOnly } = release.counts;
  const parts = [`+${added}`, `-${removed}`, `~${changed}`];
  if (movedIn) parts.push(`${movedIn} moved in`);
  if (movedOut) parts.push(`${movedOut} moved out`);
  if (!noiseOnly) return parts.join(' ');
  const versionOnly = release.resources.every(
    (change) => !change.noiseOnly || change.noise.every((category) => category === 'chart-labels'),
  );
  return `${parts.join(' ')}, ${noiseOnly} ${versionOnly ? 'version-only' : 'noise-only'}`;
}

export function versionText(release: ReleaseDiff): string {
  const before = release.base;
  const after = release.head;
  const show = (version: string | undefined) => version || '?';
  if (!before) return show(after?.version);
  if (!after) return show(before.version);
  return before.version === after.version ? show(after.version) : `${show(before.version)} -> ${show(after.version)}`;
}

export function chartText(release: ReleaseDiff): string {
  const before = release.base?.chart ?? '';
  const after = release.head?.chart ?? '';
  if (before && after && before !== after) return `${before} -> ${after}`;
  return after || before || '?';
}
