import { describe, expect, it } from 'vitest';
import { renderFailuresSection } from '../../src/report/render-failures.js';

describe('renderFailuresSection', () => {
  it('names the side of each render failure, with its whole message', () => {
    const text = renderFailuresSection([
      { context: { side: 'base', environment: 'staging' }, message: 'environment "staging": chart not found' },
      { context: { side: 'head' }, message: 'render: no helmfile; add helmfile.yaml' },
    ]);
    expect(text).toContain('**base**: environment "staging": chart not found');
    expect(text).toContain('**head**: render: no helmfile; add helmfile.yaml');
    expect(text).toContain('```text\nrender: no helmfile; add helmfile.yaml\n```');
  });
});
