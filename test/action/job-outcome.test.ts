import { describe, expect, it } from 'vitest';
import { ActionableError } from '../../src/action/errors.js';
import { commitStatusSha, commitStatusOf, jobEnd, jobOutcome, type JobOutcomeInput } from '../../src/action/job-outcome.js';
import type { CommitGuardDecision, GuardBlock } from '../../src/safety/commit-guard.js';

const counts = { added: 1, changed: 2, removed: 0, total: 10 };
const guard = (blocks: GuardBlock[], allowedByLabel: GuardBlock[] = []): CommitGuardDecision => ({
  allowed: blocks.length === 0,
  blocks,
  allowedByLabel,
  deletions: [],
});
const input = (extra: Partial<JobOutcomeInput> = {}): JobOutcomeInput => ({
  renderFailures: [],
  commit: { outcome: { status: 'up-to-date' }, guard: guard([]) },
  counts,
  validationErrors: 0,
  branch: 'renovate/web-2.x',
  ...extra,
});

describe('jobOutcome', () => {
  it('is quiet with no problems when the manifests were already up to date', () => {
    const outcome = jobOutcome(input());
    expect(outcome.problems).toEqual([]);
    expect(outcome.quiet).toBe(true);
    expect(outcome.notice).toBeUndefined();
    expect(outcome.outputs).toEqual({ changed: true, counts, validationErrors: 0, commitSha: '' });
  });

  it('is not quiet when it committed, and outputs the commit', () => {
    const outcome = jobOutcome(
      input({ commit: { outcome: { status: 'committed', sha: 'c0ffee'.repeat(6) + 'abcd', files: 3 }, guard: guard([]) } }),
    );
    expect(outcome.problems).toEqual([]);
    expect(outcome.quiet).toBe(false);
    expect(outcome.outputs.commitSha).toBe('c0ffee'.repeat(6) + 'abcd');
  });

  it('is not quiet when a label allowed what would have blocked', () => {
    const deletion: GuardBlock = {
      rule: 'mass-deletion',
      message: 'staging: 9 of 10 resources removed',
      fix: 'add the label hydrate/allow-deletions',
    };
    expect(jobOutcome(input({ commit: { outcome: { status: 'up-to-date' }, guard: guard([], [deletion]) } })).quiet).toBe(false);
  });

  it('names the failed phase first, then render failures tagged base or head, then other blocks, render-failed blocks told once', () => {
    const outcome = jobOutcome(
      input({
        failure: { phase: 'commit', error: new ActionableError('the push hung', 'Re-run the job.') },
        renderFailures: [
          { context: { side: 'base' }, message: 'staging/web: chart not found' },
          { context: { side: 'head' }, message: 'production/db: template error' },
        ],
        commit: {
          outcome: { status: 'blocked' },
          guard: guard([
            { rule: 'render-failed', message: 'production/db failed to render', fix: 'fix the render' },
            { rule: 'validation-errors', message: '2 validation errors', fix: 'fix them' },
          ]),
        },
      }),
    );
    expect(outcome.problems).toEqual([
      'commit failed: the push hung',
      'render failed:\nbase: staging/web: chart not found\n\nhead: production/db: template error',
      'commit blocked:\n- 2 validation errors; to allow: fix them',
    ]);
    expect(outcome.quiet).toBe(false);
  });

  it('counts a refused push as a problem naming the branch', () => {
    const outcome = jobOutcome(input({ commit: { outcome: { status: 'push-rejected', detail: '403' } } }));
    expect(outcome.problems).toEqual([expect.stringContaining('the push to `renovate/web-2.x` was refused (403)')]);
  });

  it('says a branch that moved on as a notice, not a problem', () => {
    const outcome = jobOutcome(input({ commit: { outcome: { status: 'branch-moved', change: 'moved', detail: 'stale info' } } }));
    expect(outcome.problems).toEqual([]);
    expect(outcome.notice).toMatch(/^Nothing was committed: `renovate\/web-2\.x` moved while this run rendered it/);
  });

  it('before the diff and the commit: zero counts, and the commit skipped naming the phase that failed', () => {
    const outcome = jobOutcome({ renderFailures: [], failure: { phase: 'tools', error: 'no network' }, branch: 'b' });
    expect(outcome.commit).toEqual({ status: 'skipped', reason: 'the run stopped before the commit (tools failed)' });
    expect(outcome.problems).toEqual(['tools failed: no network']);
    expect(outcome.outputs).toEqual({
      changed: false,
      counts: { added: 0, changed: 0, removed: 0, total: 0 },
      validationErrors: 0,
      commitSha: '',
    });
  });
});

describe('commitStatusOf', () => {
  it('fails with the first problem, else succeeds describing the counts and the commit', () => {
    expect(commitStatusOf(['render failed: x', 'other'], counts, { status: 'blocked' })).toEqual({
      state: 'failure',
      description: 'render failed: x',
    });
    expect(commitStatusOf([], counts, { status: 'committed', sha: 'a'.repeat(40), files: 1 })).toEqual({
      state: 'success',
      description: '1 added, 2 changed, 0 removed; manifests committed',
    });
    expect(commitStatusOf([], counts, { status: 'up-to-date' }).description).toBe('1 added, 2 changed, 0 removed; manifests up to date');
    expect(commitStatusOf([], counts, { status: 'branch-moved', change: 'deleted', detail: '' }).description).toBe(
      '1 added, 2 changed, 0 removed; branch deleted, nothing pushed',
    );
    expect(commitStatusOf([], counts, { status: 'skipped', reason: 'commit is false' }).description).toBe('1 added, 2 changed, 0 removed');
  });
});

describe('jobEnd', () => {
  it('fails with every problem, else gives the notice, else nothing', () => {
    expect(jobEnd(['a', 'b'], 'moved')).toEqual({ failed: 'a\n\nb' });
    expect(jobEnd([], 'moved')).toEqual({ notice: 'moved' });
    expect(jobEnd([], undefined)).toBeUndefined();
  });
});

describe('commitStatusSha', () => {
  it('puts the status on the pushed commit, else on the rendered head', () => {
    const head = 'b'.repeat(40);
    expect(commitStatusSha({ status: 'committed', sha: 'c'.repeat(40), files: 2 }, head)).toBe('c'.repeat(40));
    expect(commitStatusSha({ status: 'blocked' }, head)).toBe(head);
    expect(commitStatusSha({ status: 'branch-moved', change: 'moved', detail: '' }, head)).toBe(head);
  });
});
