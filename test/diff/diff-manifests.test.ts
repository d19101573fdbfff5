import { describe, expect, it } from 'vitest';
import { diffManifests } from '../../src/diff/diff-manifests.js';
import { b64, configMap, deployment, environment, release, secret } from './manifest-builder.js';

const CANARY = 'canary-7f3a9c1e-do-not-leak';

describe('diffManifests', () => {
  it('matches by identity across releases: a resource changing release is a move', () => {
    const base = [
      environment('production', [
        { release: release('a'), objects: [configMap('shared', { x: '1' })] },
        { release: release('b'), objects: [] },
      ]),
    ];
    const head = [
      environment('production', [
        { release: release('a'), objects: [] },
        { release: release('b'), objects: [configMap('shared', { x: '1' })] },
      ]),
    ];
    const diff = diffManifests(base, head);
    const [a, b] = diff.environments[0]!.releases;
    expect(a!.counts.movedOut).toBe(1);
    expect(b!.counts.movedIn).toBe(1);
    expect(b!.resources[0]).toMatchObject({ status: 'unchanged', moved: true, baseRelease: 'a', headRelease: 'b', patch: '' });
  });

  it('classifies added, removed, changed, unchanged, and environments on one side only', () => {
    const base = [
      environment('staging', [
        { release: release('web'), objects: [deployment('web'), configMap('gone', { a: 'b' }), configMap('same', { a: 'b' })] },
      ]),
      environment('old', [{ release: release('web'), objects: [configMap('x', {})] }]),
    ];
    const head = [
      environment('staging', [
        {
          release: release('web'),
          objects: [deployment('web', { replicas: 3 }), configMap('new', { a: 'b' }), configMap('same', { a: 'b' })],
        },
      ]),
      environment('new', [{ release: release('web'), objects: [configMap('x', {})] }]),
    ];
    const diff = diffManifests(base, head);
    expect(diff.environments.map((e) => [e.environment, e.status])).toEqual([
      ['new', 'added'],
      ['old', 'removed'],
      ['staging', 'changed'],
    ]);
    const staging = diff.environments[2]!;
    expect(staging.releases[0]!.counts).toMatchObject({ added: 1, removed: 1, changed: 1, unchanged: 1 });
    const changed = staging.releases[0]!.resources.find((r) => r.key.kind === 'Deployment')!;
    expect(changed.patch).toContain('-  replicas: 1\n+  replicas: 3\n');
    expect(changed.linesAdded).toBe(1);
  });

  it('counts resources changed only in chart labels and checksums, and keeps noise out of real diffs', () => {
    const base = [
      environment('production', [
        {
          release: release('web'),
          objects: [deployment('web', { chart: 'webapp-1.0.0' }), configMap('cfg', { a: 'b' }, { 'helm.sh/chart': 'webapp-1.0.0' })],
        },
      ]),
    ];
    const head = [
      environment('production', [
        {
          release: release('web', 'fixtures/webapp', '1.1.0'),
          objects: [
            deployment('web', { chart: 'webapp-1.1.0', image: 'nginx:1.28.0' }),
            configMap('cfg', { a: 'b' }, { 'helm.sh/chart': 'webapp-1.1.0' }),
          ],
        },
      ]),
    ];
    const diff = diffManifests(base, head);
    const production = diff.environments[0]!;
    expect(production.noiseOnly).toEqual({ count: 1, categories: ['chart-labels'] });
    const web = production.releases[0]!.resources.find((r) => r.key.kind === 'Deployment')!;
    expect(web.noise).toEqual(['chart-labels', 'checksum-annotations']);
    expect(web.patch).not.toContain('helm.sh/chart');
    expect(web.patch).not.toContain('checksum/');
    expect(web.patch).toContain('-        image: nginx:1.27.0\n+        image: nginx:1.28.0\n');
    expect(production.images).toEqual([
      { environment: 'production', release: 'web', resource: web.key, container: 'web', base: 'nginx:1.27.0', head: 'nginx:1.28.0' },
    ]);

    const unfiltered = diffManifests(base, head, { noiseFilter: false });
    expect(unfiltered.environments[0]!.noiseOnly.count).toBe(0);
    expect(unfiltered.environments[0]!.releases[0]!.resources.find((r) => r.key.kind === 'Deployment')!.patch).toContain('helm.sh/chart');
  });

  it('masks Secret data per key with markers, and credentials elsewhere, before diffing', () => {
    const pem = `-----BEGIN PRIVATE KEY-----\nMIIB${CANARY}\n-----END PRIVATE KEY-----`;
    const base = [
      environment('production', [
        {
          release: release('web'),
          objects: [
            secret('s', { same: b64('unchanged-value-1'), changed: b64('short'), removed: b64(`${CANARY}-removed`) }, { plain: CANARY }),
            configMap('cfg', {
              DB_PASSWORD: CANARY,
              'app.properties': `url=https://db\ndb.password=${CANARY}\nuser=app\n`,
              ca: pem,
              sops: `ENC[AES256_GCM,data:${CANARY},type:str]`,
            }),
            deployment('web', {
              env: [
                { name: 'API_TOKEN', value: CANARY },
                { name: 'LOG_LEVEL', value: 'info' },
              ],
            }),
          ],
        },
      ]),
    ];
    const head = [
      environment('production', [
        {
          release: release('web'),
          objects: [
            secret('s', { same: b64('unchanged-value-1'), changed: b64(`${CANARY}-longer`), added: b64(CANARY) }, { plain: `${CANARY}2` }),
            configMap('cfg', {
              DB_PASSWORD: `${CANARY}x`,
              'app.properties': `url=https://db\ndb.password=${CANARY}y\nuser=app2\n`,
              ca: pem,
              sops: `ENC[AES256_GCM,data:${CANARY}z,type:str]`,
            }),
            deployment('web', {
              env: [
                { name: 'API_TOKEN', value: `${CANARY}2` },
                { name: 'LOG_LEVEL', value: 'debug' },
              ],
            }),
          ],
        },
      ]),
    ];
    const diff = diffManifests(base, head);
    const resources = diff.environments[0]!.releases[0]!.resources;
    const all = resources.map((r) => r.patch).join('\n');
    for (const form of [CANARY, b64(CANARY), 'MIIB']) expect(all).not.toContain(form);
    const secretPatch = resources.find((r) => r.key.kind === 'Secret')!.patch;
    expect(secretPatch).toContain(`"<secret: unchanged, 17 bytes>"`);
    expect(secretPatch).toContain(`-  changed: "<secret: old value, 5 bytes>"\n`);
    expect(secretPatch).toContain(`+  changed: "<secret: changed, 5 -> ${CANARY.length + 7} bytes>"\n`);
    expect(secretPatch).toContain(`+  added: "<secret: added, ${CANARY.length} bytes>"`);
    expect(secretPatch).toContain(`-  removed: "<secret: removed, ${CANARY.length + 8} bytes>"`);
    const cfg = resources.find((r) => r.key.kind === 'ConfigMap')!.patch;
    expect(cfg).toContain('DB_PASSWORD: "<secret: changed');
    expect(cfg).toContain('+    db.password=<secret: changed');
    expect(cfg).toContain('+    user=app2');
    expect(cfg).not.toContain('BEGIN PRIVATE KEY-----\n');
    const web = resources.find((r) => r.key.kind === 'Deployment')!.patch;
    expect(web).toContain('+          value: debug');
    expect(web).toContain('value: "<secret: changed');
    expect(diff.sensitive.redact(`message quoting ${CANARY} and ${b64(CANARY)}`)).toBe('message quoting <redacted> and <redacted>');
    expect(JSON.stringify(diff)).not.toContain(CANARY);
  });

  it('treats regenerated certificates and CA bundles as noise', () => {
    const webhook = (bundle: string) => ({
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingWebhookConfiguration',
      metadata: { name: 'hook' },
      webhooks: [{ name: 'a.example.com', clientConfig: { caBundle: bundle, service: { name: 'svc', namespace: 'apps' } } }],
    });
    const tls = (crt: string) => ({ ...secret('tls', { 'tls.crt': b64(crt), 'tls.key': b64(`${crt}-key`) }), type: 'kubernetes.io/tls' });
    const diff = diffManifests(
      [environment('production', [{ release: release('op'), objects: [webhook('AAAA'), tls('cert-one')] }])],
      [environment('production', [{ release: release('op'), objects: [webhook('BBBB'), tls('cert-two')] }])],
    );
    expect(diff.environments[0]!.noiseOnly).toEqual({ count: 2, categories: ['generated-certificates'] });
  });

  it('diffs a one-line change in a multi-megabyte CRD as that one line', () => {
    const crd = (description: string) => {
      const properties: Record<string, unknown> = {};
      for (let i = 0; i < 8000; i++)
        properties[`field${i}`] = { type: 'string', description: i === 4000 ? description : `Field ${i} has a long description for size.` };
      return {
        apiVersion: 'apiextensions.k8s.io/v1',
        kind: 'CustomResourceDefinition',
        metadata: { name: 'widgets.example.com' },
        spec: { group: 'example.com', versions: [{ name: 'v1', schema: { openAPIV3Schema: { type: 'object', properties } } }] },
      };
    };
    const base = [environment('production', [{ release: release('op'), objects: [crd('old')] }])];
    const head = [environment('production', [{ release: release('op'), objects: [crd('new')] }])];
    const diff = diffManifests(base, head, { contextLines: 1 });
    const patch = diff.environments[0]!.releases[0]!.resources[0]!.patch;
    expect(patch.split('\n').filter((l) => l.startsWith('+') || l.startsWith('-'))).toEqual([
      '-            description: old',
      '+            description: new',
    ]);
  });
});
