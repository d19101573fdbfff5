import { describe, expect, it } from 'vitest';
import { GITHUB_ACTIONS_BOT, InputError, readSettings } from '../../src/inputs.js';

const reader = (values: Record<string, string>) => (name: string) => values[name] ?? '';

describe('readSettings', () => {
  it('has the documented defaults', () => {
    expect(readSettings(reader({}))).toMatchObject({
      helmfile: 'helmfile',
      environments: [],
      comment: true,
      commit: true,
      committer: GITHUB_ACTIONS_BOT,
      outputDir: 'manifests',
      diffContext: 3,
      noiseFilter: true,
      blockOnValidationErrors: true,
      allowDeletionsLabel: 'hydrate/allow-deletions',
      deletionThresholdPercent: 50,
      toolInstallMethod: 'auto',
    });
  });

  it('reads lists, booleans and numbers', () => {
    const settings = readSettings(
      reader({
        environments: 'staging,\nproduction\n',
        'pull-request-authors': 'renovate[bot]',
        comment: 'False',
        'deletion-threshold': '25%',
        'output-dir': './deploy/manifests/',
        'kubernetes-version': 'v1.35',
      }),
    );
    expect(settings).toMatchObject({
      environments: ['staging', 'production'],
      pullRequestAuthors: ['renovate[bot]'],
      comment: false,
      deletionThresholdPercent: 25,
      outputDir: 'deploy/manifests',
      kubernetesVersion: '1.35',
    });
  });

  it('reports every bad input at once, quoting the value', () => {
    let error: unknown;
    try {
      readSettings(
        reader({
          commit: 'yes',
          'deletion-threshold': '150',
          'output-dir': '../elsewhere',
          'committer-email': 'bot',
          'tool-install-method': 'apt',
        }),
      );
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(InputError);
    // In the order of the settings table (action.yml's).
    expect((error as InputError).problems).toEqual([
      'commit input "yes": not a boolean; use true or false',
      `committer-email input "bot": not an e-mail address; use e.g. ${GITHUB_ACTIONS_BOT.email}`,
      'output-dir input "../elsewhere": must be a directory inside the repository (e.g. manifests), not the root, an absolute path, ".." or ".git"',
      'deletion-threshold input "150": not a whole number of percent from 0 to 100',
      'tool-install-method input "apt": not one of auto, go, download',
    ]);
  });

  it('never lets the output directory be the repository root or .git', () => {
    for (const value of ['.', '/', '/abs', '.git/x', 'a/../..'])
      expect(() => readSettings(reader({ 'output-dir': value }))).toThrow(/output-dir/);
  });
});

describe('chart-mirror input', () => {
  it('reads the mirror, resolving a directory against the workspace', () => {
    const settings = readSettings(reader({ 'chart-mirror': 'vendor/charts\noci://ghcr.io/org/charts=https://mirror.internal/org' }));
    expect(settings.chartMirror).toEqual({
      base: { directory: `${process.env.GITHUB_WORKSPACE || process.cwd()}/vendor/charts` },
      rules: [{ source: 'oci://ghcr.io/org/charts', target: { url: 'https://mirror.internal/org' } }],
    });
    expect(readSettings(reader({})).chartMirror).toBeUndefined();
  });

  it('reports a mirror helm cannot use with the fix', () => {
    expect(() => readSettings(reader({ 'chart-mirror': 'oci://registry.internal/all' }))).toThrow(
      /chart-mirror input "oci:\/\/registry.internal\/all": an OCI registry can only mirror OCI repositories/,
    );
  });
});

describe('risk gate inputs', () => {
  it('default to block-on-risk: high with the hydrate/allow-risk label, and reject another level', () => {
    expect(readSettings(reader({}))).toMatchObject({ blockOnRisk: 'high', allowRiskLabel: 'hydrate/allow-risk' });
    expect(readSettings(reader({ 'block-on-risk': 'medium', 'allow-risk-label': 'risk-ok' }))).toMatchObject({
      blockOnRisk: 'medium',
      allowRiskLabel: 'risk-ok',
    });
    expect(() => readSettings(reader({ 'block-on-risk': 'low' }))).toThrow('block-on-risk input "low": not one of none, high, medium');
  });
});

describe('pod-security-default input', () => {
  it('defaults to privileged (the PodSecurity admission default) and takes baseline or restricted, nothing else', () => {
    expect(readSettings(reader({}))).toMatchObject({ podSecurityDefault: 'privileged' });
    expect(readSettings(reader({ 'pod-security-default': 'restricted' }))).toMatchObject({ podSecurityDefault: 'restricted' });
    expect(() => readSettings(reader({ 'pod-security-default': 'strict' }))).toThrow(
      'pod-security-default input "strict": not one of privileged, baseline, restricted',
    );
  });
});
