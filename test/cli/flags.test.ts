import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/cli/exit-codes.js';
import { commandOptions, flagsUsage, parseFlags } from '../../src/cli/flags.js';
import { readSettings } from '../../src/inputs.js';
import { SETTINGS, settingEntries, type CliCommand } from '../../src/settings/table.js';

const COMMANDS: CliCommand[] = ['render', 'validate', 'diff'];

describe('parseFlags', () => {
  it('reads a list flag as the action reads a list input: comma-separated and repeatable', () => {
    const { settings, given } = parseFlags(
      ['--skip-kinds', 'ConfigMap,Secret', '--skip-kinds', ' ServiceMonitor.monitoring.coreos.com '],
      'diff',
    );
    expect(settings.skipKinds).toEqual(['ConfigMap', 'Secret', 'ServiceMonitor.monitoring.coreos.com']);
    expect(
      readSettings((name) => (name === 'skip-kinds' ? 'ConfigMap,Secret\nServiceMonitor.monitoring.coreos.com' : '')).skipKinds,
    ).toEqual(settings.skipKinds);
    expect(given.has('skipKinds')).toBe(true);
    expect(parseFlags([], 'diff').settings.skipKinds).toEqual([]);
  });

  it('takes --<flag> and --no-<flag> for a boolean, and refuses both at once', () => {
    expect(parseFlags(['--no-noise-filter'], 'diff').settings.noiseFilter).toBe(false);
    expect(parseFlags(['--noise-filter'], 'diff').settings.noiseFilter).toBe(true);
    expect(parseFlags([], 'diff').settings.noiseFilter).toBe(true);
    expect(() => parseFlags(['--values-check', '--no-values-check'], 'validate')).toThrow(
      new UsageError('--values-check and --no-values-check contradict each other; give one of them'),
    );
  });

  it('checks a value with the parser and limits of the action input, naming the flag', () => {
    expect(parseFlags(['--diff-context', '50'], 'diff').settings.diffContext).toBe(50);
    expect(() => parseFlags(['--diff-context', '51'], 'diff')).toThrow(
      new UsageError('--diff-context "51": not a whole number of lines from 0 to 50'),
    );
    expect(() => readSettings((name) => (name === 'diff-context' ? '51' : ''))).toThrow(
      'diff-context input "51": not a whole number of lines from 0 to 50',
    );
    expect(() => parseFlags(['--block-on-risk', 'low'], 'diff')).toThrow('--block-on-risk "low": not one of none, high, medium');
    expect(parseFlags([], 'diff').settings.blockOnRisk).toBe('none');
  });

  it('knows no alias: each flag has one name and one meaning', () => {
    for (const legacy of [
      '--environment',
      '--cluster-scoped',
      '--kube-version',
      '--context',
      '--manifests',
      '--output',
      '--schema-base-url',
      '--skip-kind',
    ])
      expect(() => parseFlags([legacy, 'x'], 'diff'), legacy).toThrow(/Unknown option/);
    expect(() => parseFlags(['--output', 'x'], 'render')).toThrow(/Unknown option/);
    expect(parseFlags(['-o', 'out'], 'render').settings.outputDir).toBe('out');
    expect(parseFlags(['-o', 'out'], 'diff').settings.outputDir).toBe('out');
  });
});

describe('the settings table', () => {
  it('gives every command the options and help of exactly its settings', () => {
    for (const command of COMMANDS) {
      const options = Object.keys(commandOptions(command));
      const usage = flagsUsage(command);
      for (const [, spec] of settingEntries()) {
        if (!spec.flag || !spec.commands?.includes(command)) continue;
        expect(options, `${command} --${spec.flag}`).toContain(spec.flag);
        expect(usage, `${command} --${spec.flag}`).toMatch(new RegExp(`--(\\[no-\\])?${spec.flag}\\b`));
      }
    }
    expect(Object.keys(commandOptions('render'))).not.toContain('kubernetes-schemas');
    expect(SETTINGS.diffContext.input).toBe('diff-context');
  });
});
