import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { runCli } from '../../src/cli.js';
import { DIFF_USAGE } from '../../src/cli/diff-command.js';
import { RENDER_USAGE } from '../../src/cli/render-command.js';
import { VALIDATE_USAGE } from '../../src/cli/validate-command.js';
import { InputError, readSettings } from '../../src/inputs.js';
import { formatSettingError, SettingError } from '../../src/settings/setting-error.js';
import { settingEntries, settingName } from '../../src/settings/table.js';
import { parseKubernetesVersion } from '../../src/validate/schemas/kubernetes-version.js';

const FIX = 'use a minor version such as 1.35 or a patch version such as 1.35.2';

function thrown(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}

describe('SettingError', () => {
  it('is one library error that each surface prints with its own name for the setting', () => {
    const error = thrown(() => parseKubernetesVersion('1.x'));
    expect(error).toBeInstanceOf(SettingError);
    expect(error).toMatchObject({ setting: 'kubernetesVersion', value: '1.x' });
    expect(formatSettingError(error, 'cli')).toBe(`--kubernetes-version "1.x": not a Kubernetes version; ${FIX}`);
    expect(formatSettingError(error, 'action')).toBe(`kubernetes-version input "1.x": not a Kubernetes version; ${FIX}`);
    // Printed as it is (inside a render failure, say), it names neither a flag nor an input.
    expect((error as Error).message).toBe(`Kubernetes version "1.x": not a Kubernetes version; ${FIX}`);
    expect(formatSettingError(new Error('plain'), 'cli')).toBe('plain');
  });

  it('reads --kubernetes-version in the CLI and kubernetes-version input in the action', async () => {
    const err: string[] = [];
    const terminal = { out: () => {}, err: (text: string) => void err.push(text) };
    expect(await runCli(['validate', '--kubernetes-version', '1.x', '--manifests', 'manifests'], terminal)).toBe(2);
    expect(err.join('')).toMatch(new RegExp(`^--kubernetes-version "1\\.x": not a Kubernetes version; ${FIX.replaceAll('.', '\\.')}\n`));

    const error = thrown(() => readSettings((name) => (name === 'kubernetes-version' ? '1.x' : '')));
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).problems).toEqual([`kubernetes-version input "1.x": not a Kubernetes version; ${FIX}`]);
  });

  it('names the setting without a value when no one value is to blame', () => {
    const error = new SettingError('kubernetesSchemas', undefined, 'could not download it', 'check the network');
    expect(formatSettingError(error, 'cli')).toBe('--kubernetes-schemas: could not download it; check the network');
    expect(formatSettingError(error, 'action')).toBe('kubernetes-schemas input: could not download it; check the network');
  });
});

describe('settingName', () => {
  const actionInputs = Object.keys((parse(readFileSync('action.yml', 'utf8')) as { inputs: Record<string, unknown> }).inputs);
  const usage = [RENDER_USAGE, VALIDATE_USAGE, DIFF_USAGE].join('\n');

  it('names only inputs action.yml declares and flags some command takes', () => {
    for (const [key, spec] of settingEntries()) {
      if (spec.input) expect(actionInputs, key).toContain(spec.input);
      if (spec.flag) expect(usage, key).toMatch(new RegExp(`--(\\[no-\\])?${spec.flag}\\b`));
    }
  });

  it('falls back to the plain noun on a surface without the setting', () => {
    expect(settingName('extraCrds', 'action')).toBe('extra CRD path');
    expect(settingName('token', 'cli')).toBe('GitHub token');
    expect(settingName('extraCrds', 'cli')).toBe('--crd');
  });
});
