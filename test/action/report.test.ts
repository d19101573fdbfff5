import { describe, expect, it } from 'vitest';
import { scrub } from '../../src/action/report.js';
import { comparisonStatus } from '../../src/compare/report.js';
import { diffManifests } from '../../src/diff/diff-manifests.js';
import type { GeneratedField } from '../../src/model/manifests.js';
import type { ReportInput } from '../../src/report/report-input.js';
import { configMap, environment, release } from '../diff/manifest-builder.js';

const staging = (greeting: string) => environment('staging', [{ release: release('web'), objects: [configMap('web', { greeting })] }]);
const report = (base: string, head: string): ReportInput => ({
  diff: diffManifests([staging(base)], [staging(head)]),
  base: { ref: 'main', sha: 'a'.repeat(40) },
  head: { ref: 'renovate/web', sha: 'b'.repeat(40) },
});
const status = 'Manifests committed to `renovate/web`.';
const generated: GeneratedField[] = [
  {
    environment: 'staging',
    release: 'web',
    resource: { group: '', kind: 'Secret', name: 'web' },
    path: ['data', 'token'],
    outcome: 'kept',
  },
];

describe('comparisonStatus', () => {
  it('leaves the status and the generated values out of a quiet run with nothing to report', () => {
    expect(
      comparisonStatus({ input: report('hello', 'hello'), quiet: true, generatedValues: generated, failures: [], after: status }),
    ).toBe('');
  });

  it('keeps the status when the diff has changes, or the run is not quiet', () => {
    expect(comparisonStatus({ input: report('hello', 'hi'), quiet: true, generatedValues: [], failures: [], after: status })).toBe(status);
    expect(comparisonStatus({ input: report('hello', 'hello'), quiet: false, generatedValues: [], failures: [], after: status })).toBe(
      status,
    );
  });

  it('keeps the status of a run that stopped before the diff', () => {
    expect(comparisonStatus({ input: undefined, quiet: true, generatedValues: [], failures: [], after: status })).toBe(status);
  });

  it('puts the note on generated values before the status', () => {
    const text = comparisonStatus({ input: report('hello', 'hi'), quiet: false, generatedValues: generated, failures: [], after: status });
    expect(text.endsWith(`\n${status}`)).toBe(true);
    expect(text.slice(0, -status.length)).toContain('token');
  });
});

describe('scrub', () => {
  it('takes out the token and the basic-auth header git would send it in', () => {
    const token = 'ghs_secret123';
    const header = Buffer.from(`x-access-token:${token}`, 'utf8').toString('base64');
    expect(scrub(`push with ${token} failed: AUTHORIZATION: basic ${header}`, token)).toBe(
      'push with *** failed: AUTHORIZATION: basic ***',
    );
    expect(scrub('nothing to hide', '')).toBe('nothing to hide');
  });
});
