import { describe, expect, it } from 'vitest';
import type { EnvironmentManifests, RenderedResource } from '../../src/model/manifests.js';
import type { ResourceKey } from '../../src/model/resource-key.js';
import { evaluateCommitGuard, type CommitGuardInput } from '../../src/safety/commit-guard.js';

function resource(release: string, key: ResourceKey): RenderedResource {
  return {
    key,
    apiVersion: key.group ? `${key.group}/v1` : 'v1',
    environment: 'prod',
    release,
    path: `prod/${release}/${key.kind.toLowerCase()}_${key.name}.yaml`,
    content: '',
    object: {},
    source: '',
  };
}
function environment(resources: RenderedResource[]): EnvironmentManifests {
  const releases = [...new Set(resources.map((r) => r.release))].map((name) => ({
    release: { name, namespace: 'x', chart: 'c', version: '1', enabled: true, labels: '' },
    resources: resources.filter((r) => r.release === name),
  }));
  return { environment: 'prod', releases };
}
const pvc = resource('db', { group: '', kind: 'PersistentVolumeClaim', namespace: 'db', name: 'data' });
const crd = resource('op', { group: 'apiextensions.k8s.io', kind: 'CustomResourceDefinition', name: 'widgets.example.com' });
const deployments = Array.from({ length: 4 }, (_, i) =>
  resource('web', { group: 'apps', kind: 'Deployment', namespace: 'web', name: `d${i}` }),
);

const input = (overrides: Partial<CommitGuardInput>): CommitGuardInput => ({
  renderFailures: [],
  rendered: [environment([pvc, crd, ...deployments])],
  committed: [environment([pvc, crd, ...deployments])],
  introducedValidationErrors: 0,
  blockOnValidationErrors: true,
  deletionThresholdPercent: 50,
  allowDeletionsLabel: 'hydrate/allow-deletions',
  labels: [],
  ...overrides,
});

describe('evaluateCommitGuard', () => {
  it('allows a change that deletes nothing protected', () => {
    expect(evaluateCommitGuard(input({ rendered: [environment([pvc, crd, ...deployments.slice(1)])] }))).toMatchObject({
      allowed: true,
      blocks: [],
    });
  });

  it('blocks deleting a PVC or CRD unless the label is there', () => {
    const decision = evaluateCommitGuard(input({ rendered: [environment(deployments)] }));
    expect(decision.allowed).toBe(false);
    expect(decision.blocks.map((b) => b.rule)).toEqual(['protected-deletion', 'protected-deletion']);
    expect(decision.blocks[0]!.message).toContain('PersistentVolumeClaim db/data');
    expect(decision.blocks[0]!.fix).toContain('hydrate/allow-deletions');
    const labelled = evaluateCommitGuard(input({ rendered: [environment(deployments)], labels: ['hydrate/allow-deletions'] }));
    expect(labelled).toMatchObject({ allowed: true, blocks: [] });
    expect(labelled.allowedByLabel).toHaveLength(2);
  });

  it('blocks removing more than the threshold share of an environment', () => {
    const decision = evaluateCommitGuard(input({ rendered: [environment([pvc, crd])] }));
    expect(decision.blocks.map((b) => b.message)).toEqual([
      'environment "prod": the change removes 4 of 6 resources (67%), more than the deletion-threshold of 50%',
    ]);
  });

  it('blocks render failures, empty releases and introduced validation errors; the label does not help', () => {
    const rendered = [
      {
        environment: 'prod',
        releases: [
          ...environment([pvc, crd, ...deployments]).releases,
          { release: { name: 'empty', namespace: 'x', chart: 'c', version: '1', enabled: true, labels: '' }, resources: [] },
        ],
      },
    ];
    const decision = evaluateCommitGuard(
      input({
        rendered,
        renderFailures: [{ context: { side: 'head', environment: 'stage', release: 'web' }, message: 'helmfile template failed:\nboom' }],
        introducedValidationErrors: 2,
        labels: ['hydrate/allow-deletions'],
      }),
    );
    expect(decision.blocks.map((b) => b.rule)).toEqual(['render-failed', 'empty-release', 'validation-errors']);
    expect(decision.blocks[0]!.message).toBe('the head render failed for environment "stage", release "web": helmfile template failed:');
    expect(evaluateCommitGuard(input({ introducedValidationErrors: 2, blockOnValidationErrors: false })).allowed).toBe(true);
  });
});
