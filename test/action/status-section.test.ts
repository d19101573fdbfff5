import { describe, expect, it } from 'vitest';
import { statusSection } from '../../src/action/status-section.js';

describe('statusSection', () => {
  it('names the side of each render failure, with its fix when the failure knows one', () => {
    const text = statusSection({
      branch: 'renovate/web',
      commit: { status: 'blocked' },
      failures: [
        { context: { side: 'base', environment: 'staging' }, message: 'environment "staging": chart not found' },
        { context: { side: 'head' }, message: 'render: no helmfile', fix: 'add helmfile.yaml' },
      ],
      allowDeletionsLabel: 'hydrate/allow-deletions',
    });
    expect(text).toContain('**base**: environment "staging": chart not found');
    expect(text).toContain('**head**: render: no helmfile');
    expect(text).toContain('To fix: add helmfile.yaml.');
  });
});
