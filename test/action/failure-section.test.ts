import { describe, expect, it } from 'vitest';
import { describeCommitOutcome } from '../../src/action/commit-outcome.js';
import { ActionableError } from '../../src/action/errors.js';
import { failureSection } from '../../src/action/failure-section.js';
import { SchemaDownloadError } from '../../src/validate/schemas/schema-download.js';

describe('failureSection', () => {
  it('names the phase, quotes the error and says what to do', () => {
    const section = failureSection({
      phase: 'commit',
      error: new ActionableError('file staging/web/NOTES.yaml: not a Kubernetes object', 'Move it out of `manifests/`.'),
    });
    expect(section).toBe(
      [
        '### :x: helmfile-hydrate failed (commit)',
        '',
        '```text',
        'file staging/web/NOTES.yaml: not a Kubernetes object',
        '```',
        '',
        '**What to do:** Move it out of `manifests/`.',
        '',
      ].join('\n'),
    );
  });

  it('keeps a fence in the message from closing the block, cuts long messages, and has a default for unknown errors', () => {
    const section = failureSection({ phase: 'tools', error: new Error(`a \`\`\` b ${'x'.repeat(5000)}`) });
    expect(section).toContain("a ''' b");
    expect(section).toContain('… (truncated; the job log has the full message)');
    expect(section).toContain('**What to do:** The job log has the details. If the cause was temporary (network, GitHub), re-run the job.');
    expect(failureSection({ phase: 'setup', error: 'plain string' })).toContain('plain string');
  });

  it("names a bad setting by the action's input, not the CLI's flag", () => {
    const error = new SchemaDownloadError('could not download core/v1 from https://mirror.invalid/x', 'check the network and the location');
    const section = failureSection({ phase: 'validate', error });
    expect(section).toContain('kubernetes-schemas input: could not download core/v1 from https://mirror.invalid/x; check the network');
    expect(section).not.toContain('--kubernetes-schemas');
  });
});

describe('describeCommitOutcome of a refused lease', () => {
  const sha = 'b'.repeat(40);
  it('says whether the branch moved, was reset or was deleted', () => {
    expect(
      describeCommitOutcome({ status: 'branch-moved', change: 'moved', detail: '[rejected] (stale info)', now: sha }, 'renovate/x'),
    ).toBe(
      'Nothing was committed: `renovate/x` moved while this run rendered it (now bbbbbbbbbbbb). The newer push starts a newer run, which commits instead.',
    );
    expect(describeCommitOutcome({ status: 'branch-moved', change: 'rewound', detail: '', now: sha }, 'renovate/x')).toContain(
      'was reset to an older commit (bbbbbbbbbbbb) while this run rendered it; the dropped commits are not pushed back',
    );
    expect(describeCommitOutcome({ status: 'branch-moved', change: 'deleted', detail: '' }, 'renovate/x')).toBe(
      'Nothing was committed: `renovate/x` was deleted while this run rendered it; the branch is not recreated.',
    );
  });
});
