import type { ChangeCause, ManifestDiff, ResourceChange, ToolchainChange } from '../diff/types.js';
import { formatResourceKey } from '../model/resource-key.js';
import { code, escapeHtml } from './markdown-text.js';
import { plural } from './summary.js';

/** What each cause the pull request did not ask for means, as the reports say it. */
const CAUSE_MEANINGS: Record<Exclude<ChangeCause, 'pull-request'>, string> = {
  toolchain: 'the same inputs render differently with the helm/helmfile of this run than with those that rendered the committed manifests',
  drift: "the base's committed manifests are not what the base's inputs render; merge deploys the render",
  'hand-edit': "edited by hand on this branch; the action's commit puts helm's bytes back",
};

/** A change's cause, `pull-request` for a diff made without a comparison. */
export function causeOf(change: ResourceChange): ChangeCause {
  return change.cause ?? 'pull-request';
}

/** The causes of a change joined for a label (`pull-request + drift`); '' for the pull request's own change. */
export function causeLabel(change: ResourceChange): string {
  const causes = change.causes ?? [causeOf(change)];
  return causes.length === 1 && causes[0] === 'pull-request' ? '' : causes.join(' + ');
}

/** One change a cause the pull request did not ask for explains. */
export interface UnrequestedEntry {
  /** `environment/release/file` (the head's file, else the base's). */
  file: string;
  /** A hand edit: the change the commit makes to the file. */
  handEdit?: ResourceChange;
}

/** One cause the pull request did not ask for, with every change it explains. */
export interface UnrequestedGroup {
  cause: Exclude<ChangeCause, 'pull-request'>;
  meaning: string;
  entries: UnrequestedEntry[];
  /** The toolchain's version changes (cause `toolchain` only). */
  tools: ToolchainChange[];
}

/**
 * The changes the pull request did not ask for, grouped by cause: toolchain, drift, then hand
 * edits (pure). A change with several causes is listed under each of them but the pull request.
 */
export function unrequestedGroups(diff: ManifestDiff): UnrequestedGroup[] {
  const changes = diff.environments.flatMap((environment) => environment.releases.flatMap((release) => release.resources));
  const groups: UnrequestedGroup[] = [];
  for (const cause of ['toolchain', 'drift'] as const) {
    const entries = changes
      .filter((change) => (change.status !== 'unchanged' || change.moved) && (change.causes ?? [causeOf(change)]).includes(cause))
      .map((change) => ({ file: changedFile(change) }));
    const tools = cause === 'toolchain' ? (diff.toolchain ?? []) : [];
    if (entries.length > 0 || tools.length > 0) groups.push({ cause, meaning: CAUSE_MEANINGS[cause], entries, tools });
  }
  const handEdits = (diff.handEdits ?? []).map((change) => ({ file: changedFile(change), handEdit: change }));
  if (handEdits.length > 0) groups.push({ cause: 'hand-edit', meaning: CAUSE_MEANINGS['hand-edit'], entries: handEdits, tools: [] });
  return groups;
}

function changedFile(change: ResourceChange): string {
  return change.headPath ?? change.basePath ?? `${change.environment}/${formatResourceKey(change.key)}`;
}

/** `helm 4.3.0 -> 4.3.1 (production, staging)`, one entry per tool and version pair. */
function toolchainText(changes: readonly ToolchainChange[], arrow: string): string[] {
  const byChange = new Map<string, string[]>();
  for (const change of changes) {
    const key = `${change.tool} ${change.from} ${arrow} ${change.to}`;
    byChange.set(key, [...(byChange.get(key) ?? []), change.environment]);
  }
  return [...byChange].map(([change, environments]) => `${change} (${environments.join(', ')})`);
}

/** What a group covers: `2 resources (the base's committed ...)`. */
function groupSummary(group: UnrequestedGroup): string {
  const noun = group.cause === 'hand-edit' ? 'file' : 'resource';
  return `${plural(group.entries.length, noun)} (${group.meaning})`;
}

/** ` (+1 -2)` after a hand-edited file: what the commit changes in it. */
function editCounts(entry: UnrequestedEntry): string {
  return entry.handEdit ? ` (+${entry.handEdit.linesAdded} -${entry.handEdit.linesRemoved})` : '';
}

/** The comment's section on what the pull request did not ask for: one entry per cause, each file named. */
export function unrequestedMarkdownLines(diff: ManifestDiff): string[] {
  const groups = unrequestedGroups(diff);
  if (groups.length === 0) return [];
  const out = ['#### Not asked for by this pull request', ''];
  for (const group of groups) {
    const tools = toolchainText(group.tools, '→').map((text) => `: ${code(text)}`);
    out.push(`- **${group.cause}**${tools.join(',')}: ${escapeHtml(groupSummary(group))}`);
    for (const entry of group.entries) out.push(`  - ${code(entry.file)}${editCounts(entry)}`);
  }
  out.push('');
  return out;
}

/** The same for a terminal, with each hand edit's diff in full. */
export function unrequestedTextLines(diff: ManifestDiff): string[] {
  const groups = unrequestedGroups(diff);
  if (groups.length === 0) return [];
  const out = ['', 'Not asked for by this pull request:'];
  for (const group of groups) {
    const tools = toolchainText(group.tools, '->');
    out.push(`  ${group.cause}: ${groupSummary(group)}${tools.length ? `: ${tools.join(', ')}` : ''}`);
    for (const entry of group.entries) {
      out.push(`    ${entry.file}${editCounts(entry)}`);
      const patch = entry.handEdit?.patch.replace(/\n$/, '');
      if (patch) out.push(...patch.split('\n').map((line) => `      ${line}`));
    }
  }
  return out;
}
