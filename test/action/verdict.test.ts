import { describe, expect, it } from 'vitest';
import { ActionableError } from '../../src/action/failure-section.js';
import { commitStatusSha, commitStatusVerdict, jobEnd, runVerdict, type RunVerdictInput } from '../../src/action/verdict.js';
import type { CommitGuardVerdict, GuardBlock } from '../../src/safety/commit-guard.js';

const counts = { added: 1, changed: 2, removed: 0, total: 10 };
const guard = (blocks: GuardBlock[], allowedByLabel: GuardBlock[] = []): CommitGuardVerdict => ({
  allowed: blocks.length === 0,
  blocks,
  allowedByLabel,
  deletions: [],
});
const input = (extra: Partial<RunVerdictInput> = {}): RunVerdictInput => ({
  renderFailures: [],
  commit: { outcome: { status: 'up-to-date' }, verdict: guard([]) },
  counts,
  validationErrors: 0,
  branch: 'renovate/web-2.x',
  ...extra,
});

describe('runVerdict', () => {
  it('is quiet with no problems when the manifests were already up to date', () => {
    const verdict = runVerdict(input());
    expect(verdict.problems).toEqual([]);
    expect(verdict.quiet).toBe(true);
    expect(verdict.notice).toBeUndefined();
    expect(verdict.outputs).toEqual({ changed: true, counts, validationErrors: 0, commitSha: '' });
  });

  it('is not quiet when it committed, and outputs the commit', () => {
    const verdict = runVerdict(
      input({ commit: { outcome: { status: 'committed', sha: 'c0ffee'.repeat(6) + 'abcd', files: 3 }, verdict: guard([]) } }),
    );
    expect(verdict.problems).toEqual([]);
    expect(verdict.quiet).toBe(false);
    expect(verdict.outputs.commitSha).toBe('c0ffee'.repeat(6) + 'abcd');
  });

  it('is not quiet when a label allowed what would have blocked', () => {
    const deletion: GuardBlock = {
      rule: 'mass-deletion',
      message: 'staging: 9 of 10 resources removed',
      fix: 'add the label hydrate/allow-deletions',
    };
    expect(runVerdict(input({ commit: { outcome: { status: 'up-to-date' }, verdict: guard([], [deletion]) } })).quiet).toBe(false);
  });

  it('names the failed phase first, then render failures tagged base or head, then other blocks, render-failed blocks told once', () => {
    const verdict = runVerdict(
      input({
        failure: { phase: 'commit', error: new ActionableError('the push hung', 'Re-run the job.') },
        renderFailures: [
          { context: { side: 'base' }, message: 'staging/web: chart not found' },
          { context: { side: 'head' }, message: 'production/db: template error' },
        ],
        commit: {
          outcome: { status: 'blocked' },
          verdict: guard([
            { rule: 'render-failed', message: 'production/db failed to render', fix: 'fix the render' },
            { rule: 'validation-errors', message: '2 validation errors', fix: 'fix them' },
          ]),
        },
      }),
    );
    expect(verdict.problems).toEqual([
      'commit failed: the push hung',
      'render failed:\nbase: staging/web: chart not found\n\nhead: production/db: template error',
      'commit blocked:\n- 2 validation errors; to allow: fix them',
    ]);
    expect(verdict.quiet).toBe(false);
  });

  it('counts a refused push as a problem naming the branch', () => {
    const verdict = runVerdict(input({ commit: { outcome: { status: 'push-rejected', detail: '403' } } }));
    expect(verdict.problems).toEqual([expect.stringContaining('the push to `renovate/web-2.x` was refused (403)')]);
  });

  it('says a branch that moved on as a notice, not a problem', () => {
    const verdict = runVerdict(input({ commit: { outcome: { status: 'branch-moved', change: 'moved', detail: 'stale info' } } }));
    expect(verdict.problems).toEqual([]);
    expect(verdict.notice).toMatch(/^Nothing was committed: `renovate\/web-2\.x` moved while this run rendered it/);
  });

  it('before the diff and the commit: zero counts, and the commit skipped naming the phase that failed', () => {
    const verdict = runVerdict({ renderFailures: [], failure: { phase: 'tools', error: 'no network' }, branch: 'b' });
    expect(verdict.outcome).toEqual({ status: 'skipped', reason: 'the run stopped before the commit (tools failed)' });
    expect(verdict.problems).toEqual(['tools failed: no network']);
    expect(verdict.outputs).toEqual({
      changed: false,
      counts: { added: 0, changed: 0, removed: 0, total: 0 },
      validationErrors: 0,
      commitSha: '',
    });
  });
});

describe('commitStatusVerdict', () => {
  it('fails with the first problem, else succeeds describing the counts and the commit', () => {
    expect(commitStatusVerdict(['render failed: x', 'other'], counts, { status: 'blocked' })).toEqual({
      state: 'failure',
      description: 'render failed: x',
    });
    expect(commitStatusVerdict([], counts, { status: 'committed', sha: 'a'.repeat(40), files: 1 })).toEqual({
      state: 'success',
      description: '1 added, 2 changed, 0 removed; manifests committed',
    });
    expect(commitStatusVerdict([], counts, { status: 'up-to-date' }).description).toBe(
      '1 added, 2 changed, 0 removed; manifests up to date',
    );
    expect(commitStatusVerdict([], counts, { status: 'branch-moved', change: 'deleted', detail: '' }).description).toBe(
      '1 added, 2 changed, 0 removed; branch deleted, nothing pushed',
    );
    expect(commitStatusVerdict([], counts, { status: 'skipped', reason: 'commit is false' }).description).toBe(
      '1 added, 2 changed, 0 removed',
    );
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
