import { formatResourceKey, resourceId, type ResourceKey } from '../model/resource-key.js';
import { SEVERITY_ORDER, type Risk, type RiskRule, type RiskSeverity } from '../risk/types.js';
import { plural } from './summary.js';

/**
 * Where each rule is explained: docs/risks.md of the action's repository, at the major version
 * workflows pin (`uses: helmfile-hydrate/helmfile-hydrate@v1`, README and docs/action.md). Every
 * rule has an anchor of its id there (test/report/risk-groups.test.ts checks each).
 */
export const RISK_RULES_DOCUMENT_URL = 'https://github.com/helmfile-hydrate/helmfile-hydrate/blob/v1/docs/risks.md';

export function ruleDocumentUrl(rule: RiskRule): string {
  return `${RISK_RULES_DOCUMENT_URL}#${rule}`;
}

/**
 * Entries of a medium or low group shown before the rest is folded: a major upgrade brings dozens
 * of near-identical entries, and a Risks section longer than a screen is not read (issue 31).
 * High entries are never folded: each one holds the merge.
 */
export const ENTRIES_SHOWN_PER_GROUP = 3;
/** More resources than this with the same rule in one release are one entry for the release (medium and low only). */
export const ENTRIES_PER_RELEASE = 3;
/** Items (permissions, privileges, fields) an entry names on its line; the rest are in its folded list. */
export const NAMED_ITEMS = 5;

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

/** The risks of one rule on one resource, identical in `environments`; or, folded, on several resources of one release. */
export interface RiskEntry {
  rule: RiskRule;
  /** The highest of its risks'. */
  severity: RiskSeverity;
  environments: string[];
  release: string;
  /** The resource; for an entry folding a release's resources, each of `parts`'. */
  resources: ResourceKey[];
  /** The risks as shown: those of the first environment (the others' are identical), in analysis order. */
  risks: Risk[];
  /** Risks counted in every environment. */
  count: number;
  /** The per-resource entries this one folds; empty for a per-resource entry. */
  parts: RiskEntry[];
}

/** The entries of one rule and severity: the rule is named, and what to do said, once. */
export interface RiskGroup {
  severity: RiskSeverity;
  rule: RiskRule;
  /** What to do: the fix most of its risks share (entries whose risks say otherwise name their own: `entryFixes`). */
  fix: string;
  entries: RiskEntry[];
  /** Risks counted in every environment. */
  count: number;
}

/**
 * The risks as a reviewer reads them: one group per severity and rule (high first, then in the
 * order of the analysis), one entry per resource (every rule of a widened Role, every privileged
 * container of a workload), and, below high, one entry for a release with more than
 * ENTRIES_PER_RELEASE resources in the group (unless `foldReleases: false`: the text report lists
 * every resource). Pure; the same risks give the same groups.
 */
export function groupRisksByRule(risks: readonly Risk[], options: { foldReleases?: boolean } = {}): RiskGroup[] {
  const groups = new Map<string, RiskGroup>();
  for (const entry of resourceEntries(risks)) {
    const id = `${entry.severity}|${entry.rule}`;
    const group = groups.get(id);
    if (group) {
      group.entries.push(entry);
      group.count += entry.count;
    } else groups.set(id, { severity: entry.severity, rule: entry.rule, fix: '', entries: [entry], count: entry.count });
  }
  return [...groups.values()]
    .sort((a, b) => SEVERITY_ORDER.indexOf(a.severity) - SEVERITY_ORDER.indexOf(b.severity))
    .map((group) => ({
      ...group,
      fix: commonFix(group.entries.flatMap((entry) => entry.risks)),
      entries: group.severity === 'high' || options.foldReleases === false ? group.entries : foldReleases(group.entries),
    }));
}

function resourceEntries(risks: readonly Risk[]): RiskEntry[] {
  const entries = new Map<string, RiskEntry>();
  for (const { risk, environments } of groupRisks(risks)) {
    const id = JSON.stringify([risk.rule, risk.release, resourceId(risk.resource), environments]);
    const entry = entries.get(id);
    if (entry) {
      entry.risks.push(risk);
      entry.count += environments.length;
      entry.severity = higher(entry.severity, risk.severity);
    } else {
      entries.set(id, {
        rule: risk.rule,
        severity: risk.severity,
        environments,
        release: risk.release,
        resources: [risk.resource],
        risks: [risk],
        count: environments.length,
        parts: [],
      });
    }
  }
  return [...entries.values()];
}

function higher(a: RiskSeverity, b: RiskSeverity): RiskSeverity {
  return SEVERITY_ORDER.indexOf(a) <= SEVERITY_ORDER.indexOf(b) ? a : b;
}

/** The fix most risks give (the first of the most frequent: deterministic). */
function commonFix(risks: readonly Risk[]): string {
  const counts = new Map<string, number>();
  for (const risk of risks) counts.set(risk.fix, (counts.get(risk.fix) ?? 0) + 1);
  let best = '';
  let bestCount = 0;
  for (const [fix, count] of counts)
    if (count > bestCount) {
      best = fix;
      bestCount = count;
    }
  return best;
}

/** The fixes of an entry's risks that its group does not already say (a folded release's: each part says its own). */
export function entryFixes(entry: RiskEntry, group: RiskGroup): string[] {
  if (entry.parts.length > 0) return [];
  return [...new Set(entry.risks.map((risk) => risk.fix))].filter((fix) => fix !== group.fix);
}

/** A release's entries of one group as one entry when there are more than ENTRIES_PER_RELEASE, at the place of its first. */
function foldReleases(entries: readonly RiskEntry[]): RiskEntry[] {
  const byRelease = new Map<string, RiskEntry[]>();
  for (const entry of entries) {
    const id = JSON.stringify([entry.release, entry.environments]);
    byRelease.set(id, [...(byRelease.get(id) ?? []), entry]);
  }
  const result: RiskEntry[] = [];
  for (const parts of byRelease.values()) {
    if (parts.length <= ENTRIES_PER_RELEASE) {
      result.push(...parts);
      continue;
    }
    const first = parts[0]!;
    result.push({
      ...first,
      severity: parts.map((part) => part.severity).reduce(higher),
      resources: parts.flatMap((part) => part.resources),
      risks: parts.flatMap((part) => part.risks),
      count: parts.reduce((total, part) => total + part.count, 0),
      parts,
    });
  }
  // Entries keep the order of their first risk.
  return result.sort((a, b) => entries.indexOf(a.parts[0] ?? a) - entries.indexOf(b.parts[0] ?? b));
}

/** A line of an entry's folded list: a label (a field, `rules[2]`) and what it says. */
export interface EntryListLine {
  label: string;
  /** Items named one by one (permissions, privileges). */
  items: string[];
  /** Or a sentence, with an old -> new value. */
  text?: string;
  change?: { from: string; to: string };
}

/** What an entry's line says, without markup: the renderers quote fields and items as code. */
export interface EntrySummary {
  /** The fields of the resource the line names (`spec.template`); empty when the line is about the whole resource. */
  fields: string[];
  /** What happens, one sentence without its final period. */
  message: string;
  change?: { from: string; to: string };
  /** Items named after the message (`lead: a, b`), at most NAMED_ITEMS. */
  named?: { lead: string; items: string[]; more: number };
  /** The full list, folded in markdown: its title and lines. */
  list?: { title: string; lines: EntryListLine[] };
}

/**
 * The line of one entry. A Role or ClusterRole counts what it gains and names the permissions that
 * matter; a workload names the privileges its pod template gains; several fields of one resource
 * name the first and list the others; an entry folding a release's resources counts them.
 */
export function summarizeEntry(entry: RiskEntry): EntrySummary {
  if (entry.parts.length > 0) return summarizeRelease(entry);
  const risks = entry.risks;
  if (risks.some((risk) => risk.notable !== undefined)) return summarizeRole(entry);
  if (risks.length > 1 && risks.every((risk) => risk.rule === 'privilege-added' && risk.gained)) return summarizePrivileges(entry);
  const [first, ...others] = risks;
  const summary: EntrySummary = { fields: first!.field ? [first!.field] : [], message: first!.message };
  if (first!.change) summary.change = first!.change;
  if (others.length > 0) {
    summary.named = named(
      'also',
      others.map((risk) => risk.field ?? risk.message),
    );
    summary.list = { title: `the other ${plural(others.length, 'risk')}`, lines: others.map((risk) => riskLine(risk)) };
  }
  return summary;
}

/** A risk on a line of a list: its field, what happens (unless the entry's line says it for all) and old -> new. */
function riskLine(risk: Risk, options: { message?: boolean } = {}): EntryListLine {
  const line: EntryListLine = { label: risk.field ?? '', items: [], text: options.message === false ? '' : risk.message };
  if (risk.change) line.change = risk.change;
  return line;
}

function named(lead: string, all: readonly string[]): EntrySummary['named'] {
  const unique = [...new Set(all)];
  return { lead, items: unique.slice(0, NAMED_ITEMS), more: Math.max(0, unique.length - NAMED_ITEMS) };
}

/** A (Cluster)Role: how many permissions it gains in how many rules, those that matter by name, each rule's in the list. */
function summarizeRole(entry: RiskEntry): EntrySummary {
  const risks = entry.risks;
  const gained = new Set(risks.flatMap((risk) => risk.gained ?? []));
  const notable = risks.flatMap((risk) => risk.notable ?? []);
  const kind = entry.resources[0]!.kind;
  const message =
    risks.length === 1
      ? risks[0]!.message
      : `the ${kind} gains ${plural(gained.size, 'permission')} in ${risks.length} rules` +
        // The high rules say why (a wildcard, an escalating verb, every Secret): that is what holds the merge.
        risks
          .filter((risk) => risk.severity === 'high')
          .map((risk) => `; ${risk.field ?? ''}: ${risk.message}`)
          .join('');
  const summary: EntrySummary = { fields: risks.length === 1 && risks[0]!.field ? [risks[0]!.field] : [], message };
  if (notable.length > 0) summary.named = named('among them', compactPermissions(notable));
  summary.list = {
    title: `all ${plural(gained.size, 'permission')}`,
    lines: risks.map((risk) => ({ label: risk.field ?? '', items: compactPermissions(risk.gained ?? []) })),
  };
  return summary;
}

/**
 * Permissions as rbac.ts describes them (`<verb> <group/resource>[ (<name>)]`, one verb each), the
 * verbs of one resource joined: `get/list/watch secrets`. A Role's list then reads as its rules do,
 * at a third of the length.
 */
export function compactPermissions(permissions: readonly string[]): string[] {
  const verbsByTarget = new Map<string, string[]>();
  for (const permission of permissions) {
    const space = permission.indexOf(' ');
    const [verb, target] = space === -1 ? ['', permission] : [permission.slice(0, space), permission.slice(space + 1)];
    const verbs = verbsByTarget.get(target) ?? [];
    if (!verbs.includes(verb)) verbs.push(verb);
    verbsByTarget.set(target, verbs);
  }
  return [...verbsByTarget].map(([target, verbs]) => `${verbs.join('/')} ${target}`.trim());
}

/** A workload: the privileges its pod template gains, each named once, each container's fields in the list. */
function summarizePrivileges(entry: RiskEntry): EntrySummary {
  const gained = entry.risks.flatMap((risk) => risk.gained ?? []);
  const unique = [...new Set(gained)];
  return {
    fields: [],
    message: `the pod template gains ${plural(unique.length, 'privilege')} in ${plural(entry.risks.length, 'field')}`,
    named: named('', unique),
    list: { title: `each of the ${entry.risks.length} fields`, lines: entry.risks.map((risk) => riskLine(risk, { message: false })) },
  };
}

/** Several resources of one release: counted, with what they gain that matters (or their names). */
function summarizeRelease(entry: RiskEntry): EntrySummary {
  const notable = entry.risks.flatMap((risk) => risk.notable ?? []);
  // Each resource's own count: the same permission in two Roles is granted twice.
  const gained = entry.parts.reduce((total, part) => total + new Set(part.risks.flatMap((risk) => risk.gained ?? [])).size, 0);
  const counted = gained > 0 ? `; they gain ${plural(gained, entry.rule === 'rbac-widened' ? 'permission' : 'privilege')}` : '';
  return {
    fields: [],
    message: `${plural(entry.parts.length, 'resource')} of the release${counted}`,
    named:
      notable.length > 0
        ? named('among them', compactPermissions(notable))
        : named(
            '',
            entry.parts.map((part) => formatResourceKey(part.resources[0]!)),
          ),
  };
}
