import { formatResourceKey } from '../model/resource-key.js';
import { SEVERITY_ORDER, type Risk } from '../risk/types.js';
import { code, escapeHtml, fencedBlock } from './markdown-text.js';
import {
  ENTRIES_SHOWN_PER_GROUP,
  entryFixes,
  groupRisksByRule,
  ruleDocumentUrl,
  summarizeEntry,
  type EntryListLine,
  type EntrySummary,
  type RiskEntry,
  type RiskGroup,
} from './risk-groups.js';
import { plural } from './summary.js';

const SEVERITY_ICONS: Record<Risk['severity'], string> = { high: ':red_circle:', medium: ':orange_circle:', low: ':white_circle:' };

/** `3 risks: 2 high, 1 medium` */
export function riskCounts(risks: readonly Risk[]): string {
  const counts = SEVERITY_ORDER.map((severity) => [severity, risks.filter((risk) => risk.severity === severity).length] as const).filter(
    ([, count]) => count > 0,
  );
  const bySeverity = counts.map(([severity, count]) => `${count} ${severity}`).join(', ');
  return `${plural(risks.length, 'risk')}${counts.length ? `: ${bySeverity}` : ''}`;
}

/** Room the Risks section may take in a budgeted body, and the line that counts the risks left out. */
export interface RiskSectionBudget {
  room: number;
  size: (text: string) => number;
  more: (count: number) => string;
}

/** Lines added while they fit the room left (Infinity without a budget); sizes add up, lines end in `\n`. */
interface SectionWriter {
  size(text: string): number;
  fits(needed: number): boolean;
  /** Adds a line (its size and its newline). */
  take(text: string): void;
}

/**
 * The Risks section of the markdown report: one group per severity and rule, high first, its rule
 * linked to docs/risks.md and what to do said once; one line per resource under it, a medium or
 * low group folded past its first ENTRIES_SHOWN_PER_GROUP entries (risk-groups.ts). With a budget,
 * whole entries are kept while they fit, then one line counts the risks left out.
 */
export function riskMarkdownLines(risks: readonly Risk[], budget?: RiskSectionBudget): string[] {
  if (risks.length === 0) return [];
  const size = budget?.size ?? ((text: string) => text.length);
  const lines = [
    `#### Risks (${riskCounts(risks)})`,
    '',
    '_What Argo CD and the cluster will do with this change, by rule; each rule links to its section of docs/risks.md._',
    '',
  ];
  const cost = (text: string) => size(`${text}\n`);
  // The line counting the risks left out, and the blank line closing the section, are always there.
  let left = budget
    ? budget.room - lines.reduce((total, line) => total + cost(line), cost(budget.more(risks.length)) + cost(''))
    : Infinity;
  const writer: SectionWriter = {
    size,
    fits: (needed) => needed <= left,
    take: (text) => {
      left -= cost(text);
      lines.push(text);
    },
  };
  let shown = 0;
  for (const group of groupRisksByRule(risks)) {
    const result = groupMarkdownLines(group, writer);
    shown += result.shown;
    if (!result.complete) break;
  }
  if (budget && shown < risks.length) lines.push(budget.more(risks.length - shown));
  lines.push('');
  return lines;
}

/** One group's lines, as far as they fit: how many risks they show, and whether that is all of them. */
function groupMarkdownLines(group: RiskGroup, writer: SectionWriter): { shown: number; complete: boolean } {
  const link = `[${code(group.rule)}](${ruleDocumentUrl(group.rule)})`;
  const header = `- ${SEVERITY_ICONS[group.severity]} **${group.severity}** · ${link} (${plural(group.count, 'risk')}). To do: ${escapeHtml(group.fix)}.`;
  const cost = (text: string) => writer.size(`${text}\n`);
  if (!writer.fits(cost(header))) return { shown: 0, complete: false };
  writer.take(header);
  let shown = 0;
  const folded = group.severity === 'high' ? [] : group.entries.slice(ENTRIES_SHOWN_PER_GROUP);
  for (const entry of group.entries.slice(0, group.entries.length - folded.length)) {
    const block = [`  - ${entryMarkdown(entry, group)}`, ...riskDetailLines(entry)].join('\n');
    if (!writer.fits(cost(block))) return { shown, complete: false };
    writer.take(block);
    shown += entry.count;
  }
  if (folded.length === 0) return { shown, complete: true };
  // The folded entries are one line: `<details>` inline in a list item keeps the section short. The
  // item starts with text: a line starting with `<details>` would open an HTML block, where markdown
  // (the entries' code spans) is not rendered.
  const foldedLine = (items: readonly string[]) =>
    `  - and ${items.length} more: <details><summary>${items.length === 1 ? 'one more entry' : `${items.length} more entries`} of ${group.rule}</summary>${items.join('<br>')}</details>`;
  // Sizes add up: the line's frame (at its longest counts) plus each item and its separator.
  let needed = cost(foldedLine([])) + writer.size(`${folded.length}${folded.length} more entries`);
  const items: string[] = [];
  for (const entry of folded) {
    const item = entryMarkdown(entry, group, { inline: true });
    needed += writer.size(`${item}<br>`);
    if (!writer.fits(needed)) break;
    items.push(item);
    shown += entry.count;
  }
  if (items.length > 0) writer.take(foldedLine(items));
  return { shown, complete: items.length === folded.length };
}

/** `**production, staging** · release · `Kind ns/name` `field`: message: `named`. `old` → `new` <details>…</details>` */
function entryMarkdown(entry: RiskEntry, group: RiskGroup, options: { inline?: boolean; part?: boolean } = {}): string {
  const summary = summarizeEntry(entry);
  const fields = summary.fields.map((field) => ` ${code(field)}`).join('');
  const resource = entry.parts.length > 0 ? '' : code(formatResourceKey(entry.resources[0]!));
  // A part of a folded entry: its environments and release are the entry's, said once.
  const place = options.part
    ? ''
    : `**${escapeHtml(entry.environments.join(', '))}** · ${escapeHtml(entry.release)}${resource ? ' · ' : ''}`;
  const where = `${place}${resource}${fields}`;
  const change = summary.change ? ` ${code(summary.change.from)} → ${code(summary.change.to)}` : '';
  const list = entry.parts.length > 0 ? partsMarkdown(entry, group) : listMarkdown(summary.list);
  const fixes = entryFixes(entry, group).map((fix) => ` To do: ${escapeHtml(fix)}.`);
  const diffs = options.inline ? entry.risks.filter((risk) => risk.details?.length).map(inlineStructuredDiff) : [];
  return `${where}: ${escapeHtml(summary.message)}${namedMarkdown(summary)}.${change}${list}${fixes.join('')}${diffs.join('')}`;
}

function namedMarkdown(summary: EntrySummary): string {
  if (!summary.named) return '';
  const { lead, items, more } = summary.named;
  return `${lead ? `, ${escapeHtml(lead)}` : ''}: ${items.map(code).join(', ')}${more > 0 ? ` and ${more} more` : ''}`;
}

function listMarkdown(list: EntrySummary['list']): string {
  if (!list) return '';
  return ` <details><summary>${escapeHtml(list.title)}</summary>${list.lines.map(listLineMarkdown).join('<br>')}</details>`;
}

function listLineMarkdown(line: EntryListLine): string {
  const label = line.label ? `${code(line.label)}: ` : '';
  if (line.text === undefined) return `${label}${line.items.map(code).join(', ')}`;
  const change = line.change ? `${code(line.change.from)} → ${code(line.change.to)}` : '';
  return `${label}${[escapeHtml(line.text), change].filter(Boolean).join(' ')}`;
}

/** The resources an entry folds, each on its line inside the entry's `<details>`. */
function partsMarkdown(entry: RiskEntry, group: RiskGroup): string {
  const parts = entry.parts.map((part) => entryMarkdown(part, group, { inline: true, part: true }));
  return ` <details><summary>each of the ${entry.parts.length} resources</summary>${parts.join('<br>')}</details>`;
}

/** The structured diff of a reshaped config file, folded under a shown entry. */
function riskDetailLines(entry: RiskEntry): string[] {
  // A folded release's parts carry theirs inline, in its `<details>`.
  if (entry.parts.length > 0) return [];
  const withDetails = entry.risks.filter((risk) => risk.details?.length);
  return withDetails.flatMap((risk) => [
    `    <details><summary>structured diff${withDetails.length > 1 && risk.field ? ` of ${escapeHtml(risk.field)}` : ''}</summary>`,
    '',
    ...fencedBlock(risk.details!.join('\n'), 'diff')
      .split('\n')
      .map((line) => `    ${line}`),
    '',
    '    </details>',
  ]);
}

/** The same diff on one line, for an entry folded into a `<details>` line. */
function inlineStructuredDiff(risk: Risk): string {
  const lines = risk.details!.map((line) => `<code>${escapeHtml(line)}</code>`).join('<br>');
  return ` <details><summary>structured diff</summary>${lines}</details>`;
}

/**
 * The Risks section of the plain-text report: the same groups, each with its rule, its
 * documentation anchor and what to do once; every resource and every item in full (a terminal
 * folds nothing).
 */
export function riskTextLines(risks: readonly Risk[]): string[] {
  if (risks.length === 0) return [];
  const lines = ['', `Risks (${riskCounts(risks)}):`];
  for (const group of groupRisksByRule(risks, { foldReleases: false })) {
    lines.push(`  [${group.severity}] ${group.rule} (${plural(group.count, 'risk')}; ${ruleDocumentUrl(group.rule)})`);
    lines.push(`    to do: ${group.fix}`);
    for (const entry of group.entries) lines.push(...entryTextLines(entry, group));
  }
  return lines;
}

function entryTextLines(entry: RiskEntry, group: RiskGroup): string[] {
  const summary = summarizeEntry(entry);
  const fields = summary.fields.map((field) => ` ${field}`).join('');
  const named = summary.named
    ? `${summary.named.lead ? `, ${summary.named.lead}` : ''}: ${summary.named.items.join(', ')}${summary.named.more > 0 ? ` and ${summary.named.more} more` : ''}`
    : '';
  const change = summary.change ? ` (${summary.change.from} -> ${summary.change.to})` : '';
  const lines = [
    `    ${entry.environments.join(',')}/${entry.release} ${formatResourceKey(entry.resources[0]!)}${fields}: ${summary.message}${named}${change}`,
  ];
  for (const line of summary.list?.lines ?? []) {
    const change = line.change ? `${line.change.from} -> ${line.change.to}` : '';
    const text = line.text === undefined ? line.items.join(', ') : line.text ? `${line.text}${change ? ` (${change})` : ''}` : change;
    lines.push(`      ${line.label ? `${line.label}: ` : ''}${text}`);
  }
  for (const fix of entryFixes(entry, group)) lines.push(`      to do: ${fix}`);
  for (const risk of entry.risks) for (const detail of risk.details ?? []) lines.push(`      ${detail}`);
  return lines;
}
