import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readManifestsForValidation } from '../../src/validate/manifest-files.js';

describe('reading written manifests for validation', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hydrate-manifests-'));
    await mkdir(join(dir, 'staging', 'web'), { recursive: true });
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('reports duplicate keys, invalid YAML and non-objects as findings instead of stopping', async () => {
    await writeFile(
      join(dir, 'staging/web/configmap_apps_a.yaml'),
      '# Source: web/templates/cm.yaml\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  namespace: apps\ndata:\n  "key": one\n  key: two\n',
    );
    await writeFile(join(dir, 'staging/web/broken.yaml'), 'apiVersion: v1\nkind: [ConfigMap\n');
    await writeFile(join(dir, 'staging/web/empty.yaml'), '# nothing here\n');
    await writeFile(join(dir, 'staging/web/notes.txt'), 'ignored\n');
    const { environments, findings } = await readManifestsForValidation(dir);
    const resources = environments[0]!.releases[0]!.resources;
    expect(resources.map((resource) => [resource.path, resource.source, resource.object.data])).toEqual([
      ['staging/web/configmap_apps_a.yaml', 'web/templates/cm.yaml', { key: 'two' }],
    ]);
    expect(findings.map(({ file, line, rule, message }) => ({ file, line, rule, message }))).toEqual([
      {
        file: 'staging/web/broken.yaml',
        line: 3,
        rule: 'invalid-value',
        message:
          'invalid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]; each file under the manifests directory must hold exactly one resource',
      },
      {
        file: 'staging/web/configmap_apps_a.yaml',
        line: 9,
        rule: 'duplicate-key',
        message: 'duplicate key "key": a key may appear once per mapping (the last value would silently win); remove one',
      },
      {
        file: 'staging/web/empty.yaml',
        line: undefined,
        rule: 'invalid-value',
        message:
          'not a Kubernetes object with apiVersion, kind and metadata.name; each file under the manifests directory must hold exactly one resource',
      },
    ]);
  });
});
