import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  DEFAULT_DIFF_CONTEXT_LINES,
  DEFAULT_HELMFILE_PATH,
  DEFAULT_MANIFESTS_DIRECTORY,
  GITHUB_ACTIONS_BOT_EMAIL,
  GITHUB_ACTIONS_BOT_LOGIN,
} from '../../src/defaults.js';
import { readSettings } from '../../src/inputs.js';

const inputs = (
  parse(readFileSync(new URL('../../action.yml', import.meta.url), 'utf8')) as { inputs: Record<string, { default?: string }> }
).inputs;

describe('action.yml defaults', () => {
  it('are the constants the CLI and the library use (src/defaults.ts)', () => {
    expect(inputs.helmfile!.default).toBe(DEFAULT_HELMFILE_PATH);
    expect(inputs['output-dir']!.default).toBe(DEFAULT_MANIFESTS_DIRECTORY);
    expect(inputs['diff-context']!.default).toBe(String(DEFAULT_DIFF_CONTEXT_LINES));
    expect(inputs['committer-name']!.default).toBe(GITHUB_ACTIONS_BOT_LOGIN);
    expect(inputs['committer-email']!.default).toBe(GITHUB_ACTIONS_BOT_EMAIL);
  });

  it('read as the settings an unset input gives, input by input', () => {
    const unset = readSettings(() => '');
    for (const [name, input] of Object.entries(inputs)) {
      // The token's default is an expression the runner fills in.
      if (name === 'token' || !input.default) continue;
      expect(
        readSettings((asked) => (asked === name ? input.default! : '')),
        name,
      ).toEqual(unset);
    }
  });
});
