import { describe, expect, it } from 'vitest';
import { rewriteHelmArguments, type ChartMirrorPlan } from '../../src/render/chart-mirror-plan.js';
import { parseChartMirror } from '../../src/render/chart-mirror.js';
import { SettingError } from '../../src/settings/setting-error.js';

const plan: ChartMirrorPlan = {
  base: 'http://127.0.0.1:8080/0',
  rules: [
    { source: 'https://charts.jetstack.io', target: 'https://mirror.internal/jetstack' },
    { source: 'oci://ghcr.io/org/charts', target: 'oci://registry.internal/org' },
    { source: 'oci://quay.io/jetstack/charts', target: 'http://127.0.0.1:8080/1' },
  ],
};

describe('rewriteHelmArguments', () => {
  it('points `repo add` at <base>/<name>, or at the rule of its URL', () => {
    expect(rewriteHelmArguments(['repo', 'add', 'cilium', 'https://helm.cilium.io', '--force-update'], plan)).toEqual([
      'repo',
      'add',
      'cilium',
      'http://127.0.0.1:8080/0/cilium',
      '--force-update',
    ]);
    expect(rewriteHelmArguments(['repo', 'add', 'jetstack', 'https://charts.jetstack.io/'], plan)).toEqual([
      'repo',
      'add',
      'jetstack',
      'https://mirror.internal/jetstack',
    ]);
    expect(rewriteHelmArguments(['repo', 'add', 'cilium', 'https://helm.cilium.io'], { rules: [] })).toEqual([
      'repo',
      'add',
      'cilium',
      'https://helm.cilium.io',
    ]);
  });

  it('moves OCI charts by prefix, only at a path boundary', () => {
    expect(rewriteHelmArguments(['pull', 'oci://ghcr.io/org/charts/app', '--version', '1.0.0'], plan)).toEqual([
      'pull',
      'oci://registry.internal/org/app',
      '--version',
      '1.0.0',
    ]);
    expect(rewriteHelmArguments(['pull', 'oci://ghcr.io/org/charts-other/app'], { rules: plan.rules })).toEqual([
      'pull',
      'oci://ghcr.io/org/charts-other/app',
    ]);
  });

  it('turns an OCI chart served by an HTTP repository into CHART --repo REPOSITORY', () => {
    expect(rewriteHelmArguments(['pull', 'oci://quay.io/jetstack/charts/cert-manager', '--version', 'v1.21.1', '--untar'], plan)).toEqual([
      'pull',
      'cert-manager',
      '--version',
      'v1.21.1',
      '--untar',
      '--repo',
      'http://127.0.0.1:8080/1',
    ]);
    expect(rewriteHelmArguments(['template', 'app', 'oci://registry.example/team/app'], plan)).toEqual([
      'template',
      'app',
      'app',
      '--repo',
      'http://127.0.0.1:8080/0/registry.example/team',
    ]);
  });

  it('leaves everything else alone', () => {
    const args = [
      'template',
      'cilium',
      'cilium/cilium',
      '--version',
      '1.19.0',
      '--values',
      '/tmp/values.yaml',
      '--set',
      'url=https://charts.jetstack.io',
    ];
    expect(rewriteHelmArguments(args, plan)).toEqual(args);
    expect(rewriteHelmArguments(['version', '--short'], plan)).toEqual(['version', '--short']);
  });
});

describe('parseChartMirror', () => {
  it('reads a base directory or URL and SOURCE=TARGET rules, resolving directories against the given directory', () => {
    expect(
      parseChartMirror(
        ['../charts', 'https://charts.jetstack.io/=https://mirror.internal/jetstack/', 'oci://ghcr.io/org=file:///srv/oci'],
        '/work/repo',
      ),
    ).toEqual({
      base: { directory: '/work/charts' },
      rules: [
        { source: 'https://charts.jetstack.io', target: { url: 'https://mirror.internal/jetstack' } },
        { source: 'oci://ghcr.io/org', target: { directory: '/srv/oci' } },
      ],
    });
    expect(parseChartMirror(['https://mirror.internal/helm'], '/')).toEqual({ base: { url: 'https://mirror.internal/helm' }, rules: [] });
    expect(parseChartMirror(['', ' '], '/')).toBeUndefined();
  });

  it('refuses what helm cannot use, quoting the value and the fix', () => {
    expect(() => parseChartMirror(['oci://registry.internal/all'], '/')).toThrow(
      /"oci:\/\/registry.internal\/all": an OCI registry can only mirror OCI repositories; map each one: oci:\/\/SOURCE=oci:\/\/registry.internal\/all/,
    );
    expect(() => parseChartMirror(['https://a.example=oci://registry.internal/a'], '/')).toThrow(/cannot be mirrored by an OCI registry/);
    expect(() => parseChartMirror(['/a', '/b'], '/')).toThrow(SettingError);
    expect(() => parseChartMirror(['s3://bucket/charts'], '/')).toThrow(
      /"s3:\/\/bucket\/charts" is not a supported location; use a directory/,
    );
  });
});
