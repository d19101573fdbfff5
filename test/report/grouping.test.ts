import { describe, expect, it } from 'vitest';
import { diffManifests } from '../../src/diff/diff-manifests.js';
import { buildCommentBody } from '../../src/report/markdown.js';
import { buildJsonReport } from '../../src/report/json.js';
import { buildTextReport } from '../../src/report/text.js';
import { configMap, environment, release } from '../diff/manifest-builder.js';

const DIGEST = (c: string) => `sha256:${c.repeat(64)}`;

/** A DaemonSet with the same agent image in several containers, as Cilium's is. */
function agent(image: string) {
  const container = (name: string) => ({ name, image });
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: 'cilium', namespace: 'kube-system' },
    spec: {
      selector: { matchLabels: { app: 'cilium' } },
      template: {
        metadata: { labels: { app: 'cilium' } },
        spec: {
          initContainers: [container('config'), container('mount-cgroup'), container('clean-state')],
          containers: [container('cilium-agent')],
        },
      },
    },
  };
}

function bump(environments: string[], image: string, extra: Record<string, Record<string, string>> = {}) {
  return environments.map((name) =>
    environment(name, [
      {
        release: release('cilium', 'cilium/cilium', image.includes('1.19.1') ? '1.19.1' : '1.19.0', 'kube-system'),
        objects: [agent(image), configMap('cilium-config', extra[name] ?? { mode: 'vxlan' })],
      },
      { release: release('web'), objects: [configMap('web', { env: name })] },
    ]),
  );
}

describe('each change shown once', () => {
  const oldImage = `quay.io/cilium/cilium:v1.19.0@${DIGEST('a')}`;
  const newImage = `quay.io/cilium/cilium:v1.19.1@${DIGEST('b')}`;

  it('groups environments with identical changes, and lists an image change once with every container', () => {
    const diff = diffManifests(bump(['production', 'staging'], oldImage), bump(['production', 'staging'], newImage));
    const comment = buildCommentBody({ diff }).body;
    expect(comment).toContain('- **staging**: same changes as production');
    expect(comment).not.toContain('#### staging');
    // One diff for the DaemonSet: the four containers' image lines are in it, once.
    expect(comment.match(/DaemonSet\.apps kube-system\/cilium`\*\* changed/g)).toHaveLength(1);
    expect(comment).toContain('#### Container images (1)');
    expect(comment).toContain(
      '| `quay.io/cilium/cilium:v1.19.0@sha256:aaaaaaaa…` → `quay.io/cilium/cilium:v1.19.1@sha256:bbbbbbbb…` | production, staging | cilium: `DaemonSet.apps kube-system/cilium` (cilium-agent, init:clean-state, init:config, init:mount-cgroup) |',
    );
    expect(comment.split('#### production')[0]).not.toContain(DIGEST('a'));
    const text = buildTextReport({ diff });
    expect(text).toContain('staging: same changes as production');
    expect(text.match(/--- /g)).toHaveLength(1);
    const json = JSON.parse(buildJsonReport({ diff })) as { environments: Array<{ environment: string; sameChangesAs: string | null }> };
    expect(json.environments.map((e) => [e.environment, e.sameChangesAs])).toEqual([
      ['production', null],
      ['staging', 'production'],
    ]);
  });

  it('shows a release once when it changed identically in environments that otherwise differ', () => {
    const base = bump(['production', 'staging'], oldImage);
    const head = bump(['production', 'staging'], newImage);
    head[1]!.releases[1]!.resources = environment('staging', [
      { release: release('web'), objects: [configMap('web', { env: 'staging-2' })] },
    ]).releases[0]!.resources;
    const comment = buildCommentBody({ diff: diffManifests(base, head) }).body;
    expect(comment).toContain('#### staging');
    expect(comment).toContain('(same changes as in production)');
    expect(comment.match(/DaemonSet\.apps kube-system\/cilium`\*\* changed/g)).toHaveLength(1);
    expect(comment).toContain('+  env: staging-2');
  });

  it('merges resources of a release whose diffs are identical', () => {
    const objects = (value: string) =>
      ['a', 'b', 'c'].map((name) => ({ ...configMap(name, { setting: value }), metadata: { name: 'shared', namespace: name } }));
    const diff = diffManifests(
      [environment('production', [{ release: release('tenants'), objects: objects('1') }])],
      [environment('production', [{ release: release('tenants'), objects: objects('2') }])],
    );
    const comment = buildCommentBody({ diff }).body;
    expect(comment).toContain(
      '**3 resources** with the same change: `ConfigMap a/shared, ConfigMap b/shared, ConfigMap c/shared`; changed (+1 -1)',
    );
    expect(comment.match(/```diff/g)).toHaveLength(1);
  });

  it('merges identical changes across the releases of an environment, under the first release', () => {
    const web = (namespace: string, image: string) => ({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace },
      spec: {
        selector: { matchLabels: { app: 'web' } },
        template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image }] } },
      },
    });
    const side = (image: string) => [
      environment('production', [
        { release: release('tenant-a'), objects: [web('a', image)] },
        { release: release('tenant-b'), objects: [web('b', image)] },
      ]),
    ];
    const diff = diffManifests(side('nginx:1.27.0'), side('nginx:1.28.0'));
    const comment = buildCommentBody({ diff }).body;
    expect(comment).toContain(
      '**2 resources** with the same change: `Deployment.apps a/web, tenant-b: Deployment.apps b/web`; changed (+1 -1)',
    );
    expect(comment.match(/```diff/g)).toHaveLength(1);
    expect(comment).toContain('<summary><b>tenant-a</b>');
    expect(comment).not.toContain('<summary><b>tenant-b</b>');
    expect(buildTextReport({ diff })).toContain(
      '--- production/tenant-a: Deployment.apps a/web, tenant-b: Deployment.apps b/web: changed (+1 -1)',
    );
  });
});
