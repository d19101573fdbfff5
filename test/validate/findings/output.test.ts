import { describe, expect, it } from 'vitest';
import { compareFindings } from '../../../src/validate/findings/compare.js';
import { findingAnnotation, findingsToJson, formatFindingsText, formatReportText } from '../../../src/validate/findings/output.js';
import type { Finding } from '../../../src/validate/findings/finding.js';
import type { ValidationReport } from '../../../src/validate/validate.js';
import { checkGoPattern, compileGoPattern } from '../../../src/validate/schemas/go-regexp.js';
import { parseKubernetesVersion } from '../../../src/validate/schemas/kubernetes-version.js';

const finding = (overrides: Partial<Finding> = {}): Finding => ({
  environment: 'staging',
  release: 'web',
  resource: { group: 'apps', kind: 'Deployment', namespace: 'apps', name: 'web' },
  apiVersion: 'apps/v1',
  file: 'staging/web/deployment.apps_apps_web.yaml',
  line: 12,
  path: '.spec.replicas',
  message: 'expected integer, got string "2"',
  rule: 'invalid-value',
  ...overrides,
});

const report = (findings: Finding[]): ValidationReport => ({
  kubernetesVersion: '1.35',
  resourceCount: 3,
  findings,
  warnings: [],
  skipped: [
    {
      environment: 'staging',
      release: 'mon',
      resource: { group: 'monitoring.coreos.com', kind: 'ServiceMonitor', namespace: 'apps', name: 'web' },
      apiVersion: 'monitoring.coreos.com/v1',
      file: 'staging/mon/sm.yaml',
      reason: 'kind listed in the kinds to skip (ServiceMonitor)',
    },
  ],
});

describe('validation output', () => {
  it('splits head findings into introduced and pre-existing, ignoring line moves, one to one', () => {
    const base = [finding({ line: 12 }), finding({ path: '.spec.paused', message: 'expected boolean, got string "no"', line: 14 })];
    const head = [
      finding({ line: 20 }), // same problem, moved down by an unrelated change
      finding({ environment: 'production', line: 12 }), // same problem in another environment: new
      finding({ path: '.spec.replica', message: 'unknown field "replica"', rule: 'unknown-field', line: 13 }),
    ];
    const comparison = compareFindings(base, head);
    expect(comparison.preexisting).toEqual([head[0]]);
    expect(comparison.introduced).toEqual([head[1], head[2]]);
    expect(comparison.resolved).toEqual([base[1]]);
    // Two equal findings on head, one on base: one is pre-existing, the other introduced.
    const twice = compareFindings([finding()], [finding(), finding()]);
    expect([twice.preexisting.length, twice.introduced.length]).toEqual([1, 1]);
  });

  it('prints file:line messages under the manifests directory, with skipped resources and a summary', () => {
    expect(
      formatFindingsText([finding(), finding({ line: undefined, path: '', message: 'm', rule: 'missing-schema' })], 'deploy/manifests/'),
    ).toBe(
      'deploy/manifests/staging/web/deployment.apps_apps_web.yaml:12: Deployment.apps apps/web .spec.replicas: expected integer, got string "2" [invalid-value]\n' +
        'deploy/manifests/staging/web/deployment.apps_apps_web.yaml: Deployment.apps apps/web: m [missing-schema]',
    );
    expect(formatReportText(report([finding()]))).toBe(
      'manifests/staging/web/deployment.apps_apps_web.yaml:12: Deployment.apps apps/web .spec.replicas: expected integer, got string "2" [invalid-value]\n\n' +
        'manifests/staging/mon/sm.yaml: ServiceMonitor.monitoring.coreos.com apps/web not validated: kind listed in the kinds to skip (ServiceMonitor)\n\n' +
        '1 finding(s) in 2 resource(s) validated against Kubernetes 1.35; 1 skipped, 0 warning(s)\n',
    );
  });

  it('writes stable JSON: same report, same bytes', () => {
    const json = findingsToJson(report([finding()]));
    expect(findingsToJson(JSON.parse(JSON.stringify(report([finding()]))))).toBe(json);
    expect(JSON.parse(json)).toEqual({
      kubernetesVersion: '1.35',
      resourceCount: 3,
      findings: [
        {
          environment: 'staging',
          release: 'web',
          resource: { group: 'apps', kind: 'Deployment', namespace: 'apps', name: 'web' },
          apiVersion: 'apps/v1',
          file: 'staging/web/deployment.apps_apps_web.yaml',
          line: 12,
          path: '.spec.replicas',
          rule: 'invalid-value',
          message: 'expected integer, got string "2"',
        },
      ],
      warnings: [],
      skipped: [expect.objectContaining({ reason: 'kind listed in the kinds to skip (ServiceMonitor)', file: 'staging/mon/sm.yaml' })],
    });
  });

  it('makes GitHub annotations on the manifest file relative to the repository', () => {
    expect(findingAnnotation(finding(), 'manifests')).toEqual({
      message: 'Deployment.apps apps/web .spec.replicas: expected integer, got string "2"',
      properties: {
        title: 'invalid-value (staging/web)',
        file: 'manifests/staging/web/deployment.apps_apps_web.yaml',
        startLine: 12,
        endLine: 12,
      },
    });
    expect(findingAnnotation(finding({ line: undefined }), 'deploy/out').properties).toEqual({
      title: 'invalid-value (staging/web)',
      file: 'deploy/out/staging/web/deployment.apps_apps_web.yaml',
    });
  });
});

describe('Go regular expressions', () => {
  it.each([
    ['^[a-z0-9]([-a-z0-9]*[a-z0-9])?$', ['my-name'], ['-x']],
    ['(?i)^abc$', ['ABC', 'abc'], ['abd']],
    ['^\\pL+\\z', ['Grüße'], ['x1']],
    ['^\\p{Greek}+$', ['αβγ'], ['abc']],
    ['^[[:digit:][:upper:]]+$', ['A1'], ['a1']],
    ['^a\\-b\\#c$', ['a-b#c'], ['ab']],
    ['^\\Q1.5\\E$', ['1.5'], ['125']],
    ['^(?P<major>\\d+)$', ['12'], ['x']],
    ['^[]a]+$', [']a'], ['b']],
    ['^a(?i)b$', ['aB'], ['AB']],
    ['^[[:^alpha:]]$', ['1'], ['a']],
    // Go's \d is ASCII only; JavaScript's Unicode mode agrees, but this is where engines differ.
    ['^\\d+$', ['12'], ['١٢']],
  ])('matches %s as Go does', (pattern, matching, failing) => {
    expect(checkGoPattern(pattern)).toEqual({ ok: true });
    const compiled = compileGoPattern(pattern);
    for (const value of matching) expect(compiled.test(value), value).toBe(true);
    for (const value of failing) expect(compiled.test(value), value).toBe(false);
  });

  it('says why RE2 rejects a pattern instead of failing', () => {
    expect(checkGoPattern('(unclosed')).toEqual({
      ok: false,
      reason: 'it is not a valid Go (RE2) regular expression (error parsing regexp: missing closing ): `(unclosed`)',
    });
    expect(checkGoPattern('^(?=a)')).toMatchObject({ ok: false, reason: expect.stringContaining('invalid or unsupported Perl syntax') });
    expect(checkGoPattern('^a{1001}$')).toMatchObject({ ok: false, reason: expect.stringContaining('invalid repeat count') });
  });

  it('matches a nested-quantifier pattern in linear time, where a backtracking engine never finishes', () => {
    const compiled = compileGoPattern('^(a+)+$');
    // Backtracking needs about 2^n steps for n = 30 already; RE2 is linear: 100,000 characters take milliseconds.
    const value = `${'a'.repeat(100_000)}!`;
    const started = performance.now();
    expect(compiled.test(value)).toBe(false);
    expect(compiled.test('a'.repeat(100_000))).toBe(true);
    expect(performance.now() - started).toBeLessThan(2_000);
  });
});

describe('Kubernetes versions', () => {
  it('reads minor and patch versions', () => {
    expect(parseKubernetesVersion('1.35')).toEqual({ version: '1.35', minor: '1.35', ref: 'release-1.35' });
    expect(parseKubernetesVersion('v1.34.2')).toEqual({ version: '1.34.2', minor: '1.34', ref: 'v1.34.2' });
    expect(() => parseKubernetesVersion('1.35.x')).toThrow(/not a Kubernetes version/);
  });
});
