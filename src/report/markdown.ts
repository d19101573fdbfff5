import type { EnvironmentDiff, ReleaseDiff, ResourceChange } from '../diff/types.js';
import { describeResolvedImage, type ResolvedImage } from '../images/image-check.js';
import { compareResourceKeys, formatResourceKey } from '../model/resource-key.js';
import type { Finding } from '../validate/findings/finding.js';
import { COMMENT_BUDGET, JOB_SUMMARY_BUDGET, measure, type ReportBudget } from './limits.js';
import { cell, cellCode, code, escapeHtml, fencedBlock } from './markdown-text.js';
import {
  changedResourcesText,
  groupChanges,
  imageChangeRows,
  releaseId,
  sameChanges,
  shortImage,
  type ChangeGroups,
  type ImageChangeRow,
  type SameChange,
} from './grouping.js';
import { compareDiffPriority } from './priority.js';
import { groupIgnoredValues } from '../values/ignored-value.js';
import type { ReportInput } from './report-input.js';
import { riskMarkdownLines } from './risks.js';
import { checkCoverageMarkdownLines } from './check-coverage.js';
import { causeLabel, unrequestedMarkdownLines } from './causes.js';
import { environmentLine, environmentTitle, isNothingToReport, noiseNames, noiseSummary, plural, releaseSummary } from './summary.js';

export interface MarkdownOptions {
  /** Size limit of the body; undefined: no limit (the full report, for a file). */
  budget?: ReportBudget;
  /** A line put first, e.g. a hidden `<!-- sticky-comment-id -->` the action finds its comment by. */
  marker?: string;
  /** Where the resources left out are to be found; ends the "N more resources not shown" line. */
  omittedHint?: string;
  /** Heading of the report. */
  title?: string;
}

export interface MarkdownReport {
  body: string;
  /** Resource diffs included / left out for the budget. */
  shownResources: number;
  omittedResources: number;
}

const DEFAULT_TITLE = 'helmfile-hydrate: rendered manifests';
const DEFAULT_OMITTED_HINT = 'see the job summary or the report artifact';
/** Share of the budget the findings list may take before it is cut (the rest is for diffs). */
const FINDINGS_SHARE = 0.3;
const IMAGES_SHARE = 0.1;
/** Share of the budget the risks may take; risks come first, they say whether the sync will succeed. */
const RISKS_SHARE = 0.25;
/** Share of the budget the list of changes the pull request did not ask for may take (each file named). */
const UNREQUESTED_SHARE = 0.15;

interface DiffBlock {
  /** The first of the resources the block shows (they share one diff). */
  change: ResourceChange;
  environment: string;
  release: string;
  text: string;
  cost: number;
}

/**
 * The report as markdown for a PR comment, a job summary or a file. With a budget, the body is
 * built to fit: headline, findings, images and release tables first, then whole resource diffs
 * in priority order (deletions and risky kinds first) while they fit, then a line counting
 * those left out. A diff is never cut inside its fence. Pure and deterministic.
 */
export function buildMarkdownReport(input: ReportInput, options: MarkdownOptions = {}): MarkdownReport {
  const { diff, findings } = input;
  const redact = (text: string) => diff.sensitive.redact(text);
  const marker = options.marker ? `${options.marker}` : '';
  const title = options.title ?? DEFAULT_TITLE;
  const budget = options.budget;
  const size = (text: string) => (budget ? measure(text, budget) : text.length);

  if (isNothingToReport(diff, findings) && !input.ignoredValues?.length) {
    return { body: redact(`${marker}${nothingToReportLine(input, title)}\n`), shownResources: 0, omittedResources: 0 };
  }

  const groups = groupChanges(diff.environments);
  const candidates = diffBlocks(diff.environments, groups, size);
  const hint = options.omittedHint ?? DEFAULT_OMITTED_HINT;
  const footerFor = (omitted: number) => (omitted > 0 ? `\n---\n**${plural(omitted, 'more resource')} not shown**: ${hint}.\n` : '');
  const footerReserve = size(footerFor(Math.max(1, candidates.length)));
  const limit = budget ? budget.limit - footerReserve : Number.POSITIVE_INFINITY;

  const essentials = essentialSections(input, groups, { marker, title, hint, limit, size });
  const { top, changedEnvironments, environmentHeads } = essentials;
  const chosen = chooseDiffs(candidates, diff.environments, limit - essentials.used, size);
  const body = [...top, ...environmentSections(changedEnvironments, environmentHeads, candidates, chosen)];
  const omitted = candidates.length - chosen.size;
  const text = redact(lines(body) + footerFor(omitted));
  if (budget && measure(text, budget) > budget.limit) {
    // Redaction can only shorten values it replaces by `<redacted>` (longer than 6 characters
    // only for values of 6-9 characters); should that push the body over, drop every diff.
    const headsOnly = changedEnvironments.flatMap((environment) => environmentHeads.get(environment.environment) ?? []);
    return {
      body: redact(lines([...top, ...headsOnly]) + footerFor(candidates.length)),
      shownResources: 0,
      omittedResources: candidates.length,
    };
  }
  return { body: text, shownResources: chosen.size, omittedResources: omitted };
}

/** The sections every report has, whatever the budget leaves for diffs. */
interface EssentialSections {
  /** Head, what the pull request did not ask for, risks, check coverage, findings and images, in this order. */
  top: string[];
  /** Environments shown with their own sections (not unchanged, not the same changes as an earlier one). */
  changedEnvironments: EnvironmentDiff[];
  /** Each changed environment's heading and release table. */
  environmentHeads: Map<string, string[]>;
  /** What they take of the budget. */
  used: number;
}

/** The essential sections, each list cut to its share of `limit` (Infinity: no budget) so diffs keep room. */
function essentialSections(
  input: ReportInput,
  groups: ChangeGroups,
  options: { marker: string; title: string; hint: string; limit: number; size: (text: string) => number },
): EssentialSections {
  const { hint, limit, size } = options;
  const share = (fraction: number) => (limit === Infinity ? Infinity : Math.floor(limit * fraction));
  const head = headLines(input, groups, options.marker, options.title);
  const unrequested = cutLines(
    unrequestedMarkdownLines(input.diff),
    share(UNREQUESTED_SHARE),
    size,
    (n) => `- … ${plural(n, 'more file')}: ${hint}`,
  );
  const risks = riskMarkdownLines(input.risks ?? [], {
    room: share(RISKS_SHARE),
    size,
    more: (n) => `- … ${plural(n, 'more risk')}: ${hint}`,
  });
  // A few lines at most (the not-exercised list is folded): never cut, a green check must say what it covers.
  const coverage = checkCoverageMarkdownLines(input.checks ?? []);
  const findings = cutLines(findingsLines(input), share(FINDINGS_SHARE), size, (n) => `- … ${plural(n, 'more finding')}: ${hint}`);
  const images = cutLines(
    imageLines(imageChangeRows(input.diff.environments, groups), input.resolvedImages ?? []),
    share(IMAGES_SHARE),
    size,
    (n) => `| … | ${plural(n, 'more image change')}: ${cell(hint)} | | |`,
  );
  const top = [...head, ...unrequested, ...risks, ...coverage, ...findings, ...images];
  let used = [head, unrequested, risks, coverage, findings, images].reduce((total, section) => total + size(lines(section)), 0);
  const changedEnvironments = input.diff.environments.filter(
    (environment) => environment.status !== 'unchanged' && !groups.environmentSameAs.has(environment.environment),
  );
  const environmentHeads = new Map<string, string[]>();
  changedEnvironments.forEach((environment, index) => {
    const environmentShare = limit === Infinity ? Infinity : Math.floor((limit - used) / (changedEnvironments.length - index));
    const more = (n: number) => `| … | ${plural(n, 'more release')}: ${cell(hint)} | | |`;
    const cut = cutLines(environmentLines(environment, groups), environmentShare, size, more);
    environmentHeads.set(environment.environment, cut);
    used += size(lines(cut));
  });
  return { top, changedEnvironments, environmentHeads, used };
}

/** The marker, the title with both commits, and one line per environment. */
function headLines(input: ReportInput, groups: ChangeGroups, marker: string, title: string): string[] {
  const head: string[] = [];
  if (marker) head.push(marker);
  head.push(`### ${escapeHtml(title)}${revisionsText(input)}`, '');
  for (const environment of input.diff.environments) {
    const sameAs = groups.environmentSameAs.get(environment.environment);
    head.push(`- ${boldEnvironment(environmentLine(environment, sameAs, input.findings))}`);
  }
  head.push('');
  return head;
}

/** Whole diffs in priority order while they fit in `room`; a release's wrapper is paid for by its first diff. */
function chooseDiffs(
  candidates: readonly DiffBlock[],
  environments: readonly EnvironmentDiff[],
  room: number,
  size: (text: string) => number,
): Set<DiffBlock> {
  const chosen = new Set<DiffBlock>();
  const openedReleases = new Set<string>();
  let used = 0;
  for (const block of [...candidates].sort(comparePriority)) {
    const releaseId = `${block.environment}\u0000${block.release}`;
    const wrapper = openedReleases.has(releaseId) ? 0 : size(lines(releaseWrapper(findRelease(environments, block)!)));
    if (used + block.cost + wrapper > room) continue;
    used += block.cost + wrapper;
    openedReleases.add(releaseId);
    chosen.add(block);
  }
  return chosen;
}

/** Each changed environment's head, then its chosen diffs, release by release. */
function environmentSections(
  changedEnvironments: readonly EnvironmentDiff[],
  environmentHeads: ReadonlyMap<string, string[]>,
  candidates: readonly DiffBlock[],
  chosen: ReadonlySet<DiffBlock>,
): string[] {
  const body: string[] = [];
  for (const environment of changedEnvironments) {
    body.push(...(environmentHeads.get(environment.environment) ?? []));
    for (const release of environment.releases) {
      const blocks = candidates.filter(
        (block) => chosen.has(block) && block.environment === environment.environment && block.release === release.name,
      );
      if (blocks.length === 0) continue;
      const [open, close] = releaseWrapper(release);
      body.push(open!, ...blocks.map((block) => block.text), close!);
    }
  }
  return body;
}

/** The sticky PR comment: fits GitHub's 65,536-character limit. */
export function buildCommentBody(input: ReportInput, options: Omit<MarkdownOptions, 'budget'> = {}): MarkdownReport {
  return buildMarkdownReport(input, { ...options, budget: COMMENT_BUDGET });
}

/** The job summary: fits the 1 MiB limit of `$GITHUB_STEP_SUMMARY`. */
export function buildJobSummary(input: ReportInput, options: Omit<MarkdownOptions, 'budget' | 'marker'> = {}): MarkdownReport {
  return buildMarkdownReport(input, { omittedHint: 'see the report artifact', ...options, budget: JOB_SUMMARY_BUDGET });
}

function nothingToReportLine(input: ReportInput, title: string): string {
  const environments = input.diff.environments.map((e) => e.environment);
  const extras: string[] = [];
  const noise = noiseSummary(input.diff.environments);
  if (noise) extras.push(noise);
  if (input.findings && input.findings.preexisting.length > 0)
    extras.push(`${plural(input.findings.preexisting.length, 'pre-existing validation finding')}`);
  const where = environments.length ? ` in ${environments.join(', ')}` : '';
  return `**${escapeHtml(title)}**: no changes${where}${extras.length ? ` (${extras.join('; ')})` : ''}.`;
}

function revisionsText(input: ReportInput): string {
  if (!input.base || !input.head) return '';
  return ` (${code(input.base.sha.slice(0, 7))} → ${code(input.head.sha.slice(0, 7))})`;
}

function boldEnvironment(line: string): string {
  const colon = line.indexOf(':');
  return `**${escapeHtml(line.slice(0, colon))}**${escapeHtml(line.slice(colon))}`;
}

function findingsLines(input: ReportInput): string[] {
  const findings = input.findings;
  if (!findings) return ignoredValuesLines(input);
  const result: string[] = [];
  if (findings.introduced.length > 0) {
    result.push(`#### Validation findings introduced by this change (${findings.introduced.length})`, '');
    for (const finding of [...findings.introduced].sort(compareFindings)) result.push(`- ${findingText(finding)}`);
    result.push('');
  }
  if (findings.preexisting.length > 0)
    result.push(
      `_${plural(findings.preexisting.length, 'pre-existing validation finding')} on the ` +
        `base ${findings.preexisting.length === 1 ? 'is' : 'are'} not listed._`,
      '',
    );
  return [...result, ...ignoredValuesLines(input)];
}

/** Keys the values set that no chart reads: helm drops them silently, so the change may not do what it says. */
function ignoredValuesLines(input: ReportInput): string[] {
  const groups = groupIgnoredValues(input.ignoredValues ?? []);
  if (groups.length === 0) return [];
  const result = [`#### Values the charts ignore (${groups.length})`, ''];
  for (const value of groups) {
    const where = code(value.line ? `${value.file}:${value.line}` : value.file);
    const release = `${escapeHtml(value.environments.join(', '))}/${escapeHtml(value.release)}`;
    const hint = value.closest ? `; did you mean ${code(value.closest)}?` : '';
    result.push(`- ${where} ${code(value.key)}: not a value of ${escapeHtml(value.chart)} (${release})${hint}`);
  }
  result.push('');
  return result;
}

function findingText(finding: Finding): string {
  const where = `${finding.file}${finding.line ? `:${finding.line}` : ''}`;
  return (
    `**${escapeHtml(finding.environment)}** · ${escapeHtml(finding.release)} ` +
    `· ${code(formatResourceKey(finding.resource))}${finding.path ? ` ${code(finding.path)}` : ''}: ${escapeHtml(finding.message)} ` +
    `(${code(where)}, ${escapeHtml(finding.rule)})`
  );
}

function compareFindings(a: Finding, b: Finding): number {
  return (
    cmp(a.environment, b.environment) ||
    cmp(a.release, b.release) ||
    compareResourceKeys(a.resource, b.resource) ||
    cmp(a.path, b.path) ||
    cmp(a.message, b.message)
  );
}

/** One row per image change (old -> new), naming every resource and container it applies to. */
function imageLines(rows: readonly ImageChangeRow[], resolved: readonly ResolvedImage[]): string[] {
  if (rows.length === 0) return [];
  const byImage = new Map(resolved.map((image) => [image.image, image]));
  return [
    `#### Container images (${rows.length})`,
    '',
    '| Image | Environments | Used by |',
    '| --- | --- | --- |',
    ...rows.map((row) => imageRow(row, row.head === undefined ? undefined : byImage.get(row.head))),
    '',
  ];
}

/** `old → new (sha256:… digest, architectures)` when the image check resolved the new image. */
function imageRow(row: ImageChangeRow, resolved: ResolvedImage | undefined): string {
  const note = resolved ? ` (${cell(describeResolvedImage(resolved))})` : '';
  const image =
    row.base === undefined
      ? `${cellCode(shortImage(row.head!))}${note} (new)`
      : row.head === undefined
        ? `${cellCode(shortImage(row.base))} (removed)`
        : `${cellCode(shortImage(row.base))} → ${cellCode(shortImage(row.head))}${note}`;
  const uses = row.uses.map((use) => `${cell(use.release)}: ${cellCode(use.resource)} (${cell(use.containers.join(', '))})`).join('<br>');
  return `| ${image} | ${cell(row.environments.join(', '))} | ${uses} |`;
}

function environmentLines(environment: EnvironmentDiff, groups: ChangeGroups): string[] {
  const result = [`#### ${escapeHtml(environmentTitle(environment))}`, ''];
  const changed = environment.releases.filter((release) => release.status !== 'unchanged');
  if (changed.length > 0) {
    result.push('| Release | Chart | Version | Resources |', '| --- | --- | --- | --- |');
    for (const release of changed) {
      const sameAs = groups.releaseSameAs.get(releaseId(environment.environment, release.name));
      const { chart, version, counts } = releaseSummary(release, '→');
      result.push(
        `| ${cell(release.name)}${releaseStatus(release)} | ${cell(chart)} | ${cell(version)} | ${cell(counts)}` +
          `${sameAs === undefined ? '' : ` (same changes as in ${cell(sameAs)})`} |`,
      );
    }
    const unchanged = environment.releases.length - changed.length;
    if (unchanged > 0) result.push('', `_${plural(unchanged, 'release')} unchanged._`);
  }
  const noise = noiseSummary([environment]);
  if (noise) result.push('', `${noise} (not shown).`);
  result.push('');
  return result;
}

/** " (new)" or " (removed)" after a release's name. */
function releaseStatus(release: ReleaseDiff): string {
  return release.status === 'added' ? ' (new)' : release.status === 'removed' ? ' (removed)' : '';
}

function releaseWrapper(release: ReleaseDiff): [string, string] {
  const { chart, version, counts } = releaseSummary(release, '→');
  return [
    `<details><summary><b>${escapeHtml(release.name)}</b>${releaseStatus(release)} · ` +
      `${escapeHtml(chart)} ${escapeHtml(version)} · ${escapeHtml(counts)}</summary>\n`,
    '</details>\n',
  ];
}

function diffBlocks(environments: readonly EnvironmentDiff[], groups: ChangeGroups, size: (text: string) => number): DiffBlock[] {
  const blocks: DiffBlock[] = [];
  for (const environment of environments) {
    if (groups.environmentSameAs.has(environment.environment)) continue;
    // Identical changes are merged within a release and across the environment's releases.
    const changes = environment.releases
      .filter((release) => !groups.releaseSameAs.has(releaseId(environment.environment, release.name)))
      .flatMap((release) => release.resources);
    for (const group of sameChanges(changes)) {
      const text = resourceBlock(group);
      blocks.push({
        change: group.changes[0]!,
        environment: environment.environment,
        release: group.release,
        text,
        cost: size(`${text}\n`),
      });
    }
  }
  return blocks;
}

const STATUS_WORDS = { added: 'added', removed: 'removed', changed: 'changed', unchanged: 'unchanged' } as const;

function resourceBlock(group: SameChange): string {
  const change = group.changes[0]!;
  const notes: string[] = [];
  if (change.status !== 'unchanged' || !change.moved)
    notes.push(`${STATUS_WORDS[change.status]} (+${change.linesAdded} -${change.linesRemoved})`);
  if (change.moved)
    notes.push(`moved from release ${code(change.baseRelease!)}${change.status === 'unchanged' ? ', content unchanged' : ''}`);
  if (change.noise.length > 0) notes.push(`also ${noiseNames(change.noise)} (hidden)`);
  const cause = causeLabel(change);
  if (cause) notes.push(`cause: **${cause}**`);
  const names =
    group.changes.length === 1
      ? `**${code(formatResourceKey(change.key))}**`
      : `**${plural(group.changes.length, 'resource')}** with the same change: ${code(changedResourcesText(group))};`;
  const heading = `${names} ${notes.join('; ')}`;
  return change.patch ? `${heading}\n\n${fencedBlock(change.patch, 'diff')}\n` : `${heading}\n`;
}

function findRelease(environments: readonly EnvironmentDiff[], block: DiffBlock): ReleaseDiff | undefined {
  return environments.find((e) => e.environment === block.environment)?.releases.find((r) => r.name === block.release);
}

function comparePriority(a: DiffBlock, b: DiffBlock): number {
  return (
    compareDiffPriority(a.change, b.change) ||
    cmp(a.environment, b.environment) ||
    cmp(a.release, b.release) ||
    compareResourceKeys(a.change.key, b.change.key)
  );
}

/** Keeps lines while they fit `limit`; the rest is replaced by one line saying how many were left out. */
function cutLines(all: string[], limit: number, size: (text: string) => number, more: (count: number) => string): string[] {
  if (size(lines(all)) <= limit) return all;
  const kept: string[] = [];
  let used = 0;
  for (let index = 0; index < all.length; index++) {
    const cost = size(`${all[index]}\n`);
    if (used + cost + size(`${more(all.length - index)}\n\n`) > limit) {
      const left = all.slice(index).filter((line) => line.startsWith('- ') || line.startsWith('| ')).length;
      return [...kept, more(left), ''];
    }
    kept.push(all[index]!);
    used += cost;
  }
  return kept;
}

function lines(list: readonly string[]): string {
  return list.length === 0 ? '' : `${list.join('\n')}\n`;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
