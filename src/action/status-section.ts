import { escapeInline } from '../report/render-failures.js';
import type { CommitGuardDecision } from '../safety/commit-guard.js';
import { describeCommitOutcome, type CommitOutcome } from './commit-outcome.js';

export interface StatusSectionInput {
  branch: string;
  commit: CommitOutcome;
  guard?: CommitGuardDecision;
  allowDeletionsLabel: string;
  allowRiskLabel?: string;
}

/**
 * The part of the comment and summary only the action adds after the diff: what
 * the commit guard blocked and how to allow it, and what happened on the branch (pure).
 */
export function statusSection(input: StatusSectionInput): string {
  const lines: string[] = [];
  const blocks = input.guard?.blocks ?? [];
  if (blocks.length > 0) {
    lines.push(`### :no_entry: Commit blocked`, '');
    for (const block of blocks) lines.push(`- ${escapeInline(block.message)}.  \n  To allow: ${block.fix}.`);
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
