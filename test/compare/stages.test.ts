import { describe, expect, it } from 'vitest';
import { comparableEnvironments } from '../../src/compare/stages.js';
import type { EnvironmentManifests } from '../../src/model/manifests.js';
import { configMap, environment, release } from '../diff/manifest-builder.js';

const rendered = ['staging', 'production'].map((name) =>
  environment(name, [{ release: release('web'), objects: [configMap('web', { greeting: 'hello' })] }]),
);
const names = (environments: readonly EnvironmentManifests[]) => environments.map((entry) => entry.environment);

describe('comparableEnvironments', () => {
  it('compares every environment when nothing failed', () => {
    expect(names(comparableEnvironments(rendered, []))).toEqual(['staging', 'production']);
  });

  it('leaves out an environment that failed on either side, on both sides', () => {
    const failures = [{ context: { side: 'base' as const, environment: 'staging', release: 'web' }, message: 'chart not found' }];
    expect(names(comparableEnvironments(rendered, failures))).toEqual(['production']);
  });

  it('leaves out every environment when a failure names none (the helmfile itself failed)', () => {
    const failures = [{ context: { side: 'head' as const, file: 'helmfile.yaml' }, message: 'no helmfile' }];
    expect(comparableEnvironments(rendered, failures)).toEqual([]);
  });
});
