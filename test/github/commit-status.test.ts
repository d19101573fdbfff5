import { describe, expect, it } from 'vitest';
import { COMMIT_STATUS_DESCRIPTION_LIMIT, fitDescription, workflowRunUrl } from '../../src/github/commit-status.js';

describe('commit status text', () => {
  it("puts the text on one line within GitHub's limit", () => {
    expect(fitDescription('\nrender failed:\nbase: x\n\nhead: y')).toBe('render failed: base: x head: y');
    const long = fitDescription('y'.repeat(300));
    expect(long).toHaveLength(COMMIT_STATUS_DESCRIPTION_LIMIT);
    expect(long.endsWith('…')).toBe(true);
  });

  it('links the run when the runner says which', () => {
    expect(workflowRunUrl({ GITHUB_SERVER_URL: 'https://ghe.example', GITHUB_REPOSITORY: 'acme/platform', GITHUB_RUN_ID: '7' })).toBe(
      'https://ghe.example/acme/platform/actions/runs/7',
    );
    expect(workflowRunUrl({})).toBeUndefined();
  });
});
