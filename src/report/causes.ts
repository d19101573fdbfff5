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

/** One cause the pull request did not ask for, with every change it explains (hand edits are their own list). */
export interface UnrequestedGroup {
  cause: Exclude<ChangeCause, 'pull-request'>;
  meaning: string;
  /** `environment/release/file` of each change (the head's file, else the base's). */
  files: string[];
  /** The toolchain's version changes (cause `toolchain` only). */
  tools: ToolchainChange[];
  /** Hand edits: the change the commit makes to each file. */
  handEdits: ResourceChange[];
}

/**
 * The changes the pull request did not ask for, grouped by cause: toolchain, drift, then hand
 * edits (pure). A change with several causes is listed under each of them but the pull request.
 */
export function unrequestedGroups(diff: ManifestDiff): UnrequestedGroup[] {
  const changes = diff.environments.flatMap((environment) => environment.releases.flatMap((release) => release.resources));
  const groups: UnrequestedGroup[] = [];
  for (const cause of ['toolchain', 'drift'] as const) {
    const files = changes
      .filter((change) => (change.status !== 'unchanged' || change.moved) && (change.causes ?? [causeOf(change)]).includes(cause))
      .map(changedFile);
    if (files.length > 0 || (cause === 'toolchain' && diff.toolchain?.length))
      groups.push({
        cause,
        meaning: CAUSE_MEANINGS[cause],
        files,
        tools: cause === 'toolchain' ? (diff.toolchain ?? []) : [],
        handEdits: [],
      });
  }
  const handEdits = diff.handEdits ?? [];
  if (handEdits.length > 0)
    groups.push({ cause: 'hand-edit', meaning: CAUSE_MEANINGS['hand-edit'], files: handEdits.map(changedFile), tools: [], handEdits });
  return groups;
}

function changedFile(change: ResourceChange): string {
  return change.headPath ?? change.basePath ?? `${change.environment}/${formatResourceKey(change.key)}`;
}

/** `helm 4.3.0 -> 4.3.1 (production, staging)`, one entry per tool and version pair. */
export function toolchainText(changes: readonly ToolchainChange[], arrow: string): string[] {
  const byChange = new Map<string, string[]>();
  for (const change of changes) {
    const key = `${change.tool} ${change.from} ${arrow} ${change.to}`;
    byChange.set(key, [...(byChange.get(key) ?? []), change.environment]);
  }
  return [...byChange].map(([change, environments]) => `${change} (${environments.join(', ')})`);
}

/** The heading line of a group: `drift: 2 resources (the base's committed ...)`. */
export function groupHeadline(group: UnrequestedGroup): string {
  const noun = group.cause === 'hand-edit' ? 'file' : 'resource';
  return `${group.cause}: ${plural(group.files.length, noun)} (${group.meaning})`;
}

/** Whether the diff holds anything the pull request did not ask for. */
export function hasUnrequested(diff: ManifestDiff): boolean {
  return unrequestedGroups(diff).length > 0;
}

/** The comment's section on what the pull request did not ask for: one entry per cause, each file named. */
export function unrequestedMarkdownLines(diff: ManifestDiff): string[] {
  const groups = unrequestedGroups(diff);
  if (groups.length === 0) return [];
  const out = ['#### Not asked for by this pull request', ''];
  for (const group of groups) {
    const tools = toolchainText(group.tools, '→').map((text) => `: ${code(text)}`);
    out.push(`- **${group.cause}**${tools.join(',')}: ${escapeHtml(groupHeadline(group).slice(group.cause.length + 2))}`);
    group.files.forEach((file, index) => {
      const edit = group.handEdits[index];
      out.push(`  - ${code(file)}${edit ? ` (+${edit.linesAdded} -${edit.linesRemoved})` : ''}`);
    });
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
    out.push(`  ${groupHeadline(group)}${tools.length ? `: ${tools.join(', ')}` : ''}`);
    group.files.forEach((file, index) => {
      const edit = group.handEdits[index];
      out.push(`    ${file}${edit ? ` (+${edit.linesAdded} -${edit.linesRemoved})` : ''}`);
      if (edit?.patch)
        out.push(
          ...edit.patch
            .replace(/\n$/, '')
            .split('\n')
            .map((line) => `      ${line}`),
        );
    });
  }
  return out;
}
