import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { readSettings } from '../../src/inputs.js';
import { settingEntries } from '../../src/settings/table.js';

const inputs = (
  parse(readFileSync(new URL('../../action.yml', import.meta.url), 'utf8')) as {
    inputs: Record<string, { default?: string; description?: string }>;
  }
).inputs;

/** A table default as action.yml writes it. */
function yamlDefault(value: unknown): string {
  if (value === undefined) return '';
  return Array.isArray(value) ? value.join('\n') : String(value);
}

describe('action.yml inputs', () => {
  it('are the settings table: every input with its default and description, and no other', () => {
    const table = settingEntries().filter(([, spec]) => spec.input);
    expect(Object.keys(inputs)).toEqual(table.map(([, spec]) => spec.input));
    for (const [key, spec] of table) {
      const input = inputs[spec.input!]!;
      // The token's default is an expression the runner fills in.
      if (key !== 'token') expect(input.default ?? '', key).toBe(yamlDefault(spec.default));
      expect(input.description, key).toBe(spec.description);
    }
  });

  it('are each documented in the README inputs table with the table default', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    for (const [key, spec] of settingEntries()) {
      if (!spec.input) continue;
      const shown =
        key === 'token' ? '`${{ github.token }}`' : yamlDefault(spec.default) === '' ? '(empty)' : `\`${yamlDefault(spec.default)}\``;
      expect(readme, key).toContain(`| \`${spec.input}\` | ${shown} |`);
    }
  });

  it('read as the settings an unset input gives, input by input', () => {
    const unset = readSettings(() => '');
    for (const [name, input] of Object.entries(inputs)) {
      if (name === 'token' || !input.default) continue;
      expect(
        readSettings((asked) => (asked === name ? input.default! : '')),
        name,
      ).toEqual(unset);
    }
  });
});
