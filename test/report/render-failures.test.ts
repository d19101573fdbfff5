import { describe, expect, it } from 'vitest';
import { renderFailuresSection } from '../../src/report/render-failures.js';

describe('renderFailuresSection', () => {
  it('names the side of each render failure, with its fix when the failure knows one', () => {
    const text = renderFailuresSection([
      { context: { side: 'base', environment: 'staging' }, message: 'environment "staging": chart not found' },
      { context: { side: 'head' }, message: 'render: no helmfile', fix: 'add helmfile.yaml' },
    ]);
    expect(text).toContain('**base**: environment "staging": chart not found');
    expect(text).toContain('**head**: render: no helmfile');
    expect(text).toContain('To fix: add helmfile.yaml.');
  });
});
