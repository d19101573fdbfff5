import { formatResourceKey } from '../model/resource-key.js';
import { SEVERITY_ORDER, type Risk } from '../risk/types.js';
import { code, escapeHtml, fencedBlock } from './markdown-text.js';
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

/** A risk and every environment it occurs in identically (same rule, resource, field, change, message). */
export interface GroupedRisk {
  risk: Risk;
  environments: string[];
}

/**
 * Risks that are the same in several environments (the same chart bump rolled out everywhere)
 * as one entry naming the environments, in the order of the (sorted) risks.
 */
export function groupRisks(risks: readonly Risk[]): GroupedRisk[] {
  const groups = new Map<string, GroupedRisk>();
  for (const risk of risks) {
    const { environment, path: _path, ...rest } = risk;
    const id = JSON.stringify(rest);
    const group = groups.get(id);
    if (group) group.environments.push(environment);
    else groups.set(id, { risk, environments: [environment] });
  }
  return [...groups.values()];
}

/**
 * The Risks section of the markdown report, high first (the analysis sorts them). Each risk is
 * one list item (lines starting `- `, so a budget cut counts them) with its fix and, for a
 * reshaped config file, the structured diff folded under it; a risk shared by several
 * environments is listed once, naming them.
 */
export function riskMarkdownLines(risks: readonly Risk[]): string[] {
  if (risks.length === 0) return [];
  const lines = [
    `#### Risks (${riskCounts(risks)})`,
    '',
    '_What Argo CD and the cluster will do with this change; docs/risks.md lists every rule._',
    '',
  ];
  for (const { risk, environments } of groupRisks(risks)) {
    const where =
      `**${escapeHtml(environments.join(', '))}** · ${escapeHtml(risk.release)} ` +
      `· ${code(formatResourceKey(risk.resource))}${risk.field ? ` ${code(risk.field)}` : ''}`;
    const change = risk.change ? ` ${code(risk.change.from)} → ${code(risk.change.to)}` : '';
    lines.push(
      `- ${SEVERITY_ICONS[risk.severity]} **${risk.severity}** · ${where}: ${escapeHtml(risk.message)}.${change}  `,
      `  To do: ${escapeHtml(risk.fix)}.`,
    );
    if (risk.details?.length) {
      lines.push(
        `  <details><summary>structured diff</summary>`,
        '',
        ...fencedBlock(risk.details.join('\n'), 'diff')
          .split('\n')
          .map((line) => `  ${line}`),
        '',
        '  </details>',
      );
    }
  }
  lines.push('');
  return lines;
}

/** The Risks section of the plain-text report. */
export function riskTextLines(risks: readonly Risk[]): string[] {
  if (risks.length === 0) return [];
  const lines = ['', `Risks (${riskCounts(risks)}):`];
  for (const { risk, environments } of groupRisks(risks)) {
    const field = risk.field ? ` ${risk.field}` : '';
    const change = risk.change ? ` (${risk.change.from} -> ${risk.change.to})` : '';
    const where = `${environments.join(',')}/${risk.release} ${formatResourceKey(risk.resource)}${field}`;
    lines.push(`  [${risk.severity}] ${where}: ${risk.message}${change}`);
    lines.push(`    to do: ${risk.fix}`);
    for (const detail of risk.details ?? []) lines.push(`      ${detail}`);
  }
  return lines;
}
