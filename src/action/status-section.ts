import type { RenderFailure } from '../render/index.js';
import type { CommitGuardVerdict } from '../safety/commit-guard.js';
import { describeCommitOutcome, type CommitOutcome } from './commit-outcome.js';

export interface StatusSectionInput {
  branch: string;
  commit: CommitOutcome;
  guard?: CommitGuardVerdict;
  /** Render failures, tagged with their side. */
  failures: readonly RenderFailure[];
  allowDeletionsLabel: string;
  allowRiskLabel?: string;
}

/** Longest render error shown in full; helm's own messages rarely need more to find the cause. */
const MAX_FAILURE_CHARACTERS = 4_000;

/**
 * The part of the comment and summary this action adds around the diff: render failures, what
 * the commit guard blocked and how to allow it, and what happened on the branch (pure).
 */
export function statusSection(input: StatusSectionInput): string {
  const lines: string[] = [];
  if (input.failures.length > 0) {
    lines.push(`### :x: Render failed`, '');
    for (const failure of input.failures) {
      const text =
        failure.message.length > MAX_FAILURE_CHARACTERS
          ? `${failure.message.slice(0, MAX_FAILURE_CHARACTERS)}\n… (truncated; the job log has the full message)`
          : failure.message;
      lines.push(
        `**${failure.context.side ?? 'render'}**: ${escapeInline(firstLine(text))}`,
        '',
        '```text',
        text.replace(/```/g, "'''"),
        '```',
        '',
        ...(failure.fix ? [`To fix: ${failure.fix}.`, ''] : []),
      );
    }
  }
  const blocks = input.guard?.blocks ?? [];
  if (blocks.length > 0) {
    lines.push(`### :no_entry: Commit blocked`, '');
    for (const block of blocks) lines.push(`- ${escapeInline(block.message)}.  \n  To allow: ${block.howToAllow}.`);
    lines.push('');
  }
  const allowed = input.guard?.allowedByLabel ?? [];
  for (const [heading, label, group] of [
    ['Deletions', input.allowDeletionsLabel, allowed.filter((block) => block.rule !== 'risk')],
    ['Risks', input.allowRiskLabel, allowed.filter((block) => block.rule === 'risk')],
  ] as const) {
    if (group.length === 0) continue;
    lines.push(`### :warning: ${heading} allowed by the \`${label}\` label`, '');
    for (const block of group) lines.push(`- ${escapeInline(block.message)}.`);
    lines.push('');
  }
  lines.push(describeCommitOutcome(input.commit, input.branch));
  return lines.join('\n');
}

function firstLine(text: string): string {
  return (
    text
      .split('\n')
      .find((line) => line.trim() !== '')
      ?.trim() ?? ''
  );
}

/** Keeps release and resource names from turning into markdown (`_`, `*`, `<`). */
function escapeInline(text: string): string {
  return text.replace(/[<>*_`|\\]/g, (character) => `\\${character}`);
}
