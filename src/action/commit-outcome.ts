import type { BranchChange } from '../git/push.js';

/** What happened to the rendered manifests on the pull request branch. */
export type CommitOutcome =
  | { status: 'committed'; sha: string; files: number }
  | { status: 'up-to-date' }
  | { status: 'blocked' }
  /** The branch no longer points at the rendered head: nothing was pushed. */
  | { status: 'branch-moved'; change: BranchChange; detail: string; now?: string }
  | { status: 'push-rejected'; detail: string }
  | { status: 'skipped'; reason: string };

/** One line for the log, the summary and the comment (pure). */
export function describeCommitOutcome(outcome: CommitOutcome, branch: string): string {
  switch (outcome.status) {
    case 'committed':
      return (
        `Committed the rendered manifests to \`${branch}\` as ${outcome.sha.slice(0, 12)} (${outcome.files} ` +
        `file${outcome.files === 1 ? '' : 's'} changed).`
      );
    case 'up-to-date':
      return `The manifests on \`${branch}\` are up to date; nothing to commit.`;
    case 'blocked':
      return `Nothing was committed to \`${branch}\`: the commit was blocked (see below).`;
    case 'branch-moved':
      switch (outcome.change) {
        case 'deleted':
          return `Nothing was committed: \`${branch}\` was deleted while this run rendered it; the branch is not recreated.`;
        case 'rewound':
          return (
            `Nothing was committed: \`${branch}\` was reset to an older commit${outcome.now ? ` (${outcome.now.slice(0, 12)})` : ''} ` +
            'while this run rendered it; the dropped commits are not pushed back. The push that reset it starts a newer run, ' +
            'which commits instead.'
          );
        default: {
          const now = outcome.now ? ` (now ${outcome.now.slice(0, 12)})` : '';
          return (
            `Nothing was committed: \`${branch}\` moved while this run rendered it${now}. ` +
            'The newer push starts a newer run, which commits instead.'
          );
        }
      }
    case 'push-rejected':
      return (
        `Nothing was committed: the push to \`${branch}\` was refused (${outcome.detail}). Check that the workflow has ` +
        `\`contents: write\` and that branch protection lets the token push.`
      );
    case 'skipped':
      return `Nothing was committed: ${outcome.reason}.`;
  }
}
