import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readTgz } from '../../src/values/chart-archive.js';
import { loadChartDirectory } from '../../src/values/chart-values.js';
import { testToolchain } from '../support/toolchain.js';

let toolchain: Awaited<ReturnType<typeof testToolchain>>;
let scratch: string;

async function writeChart(directory: string, files: Record<string, string>): Promise<void> {
  for (const [path, text] of Object.entries(files)) {
    await mkdir(join(directory, path, '..'), { recursive: true });
    await writeFile(join(directory, path), text);
  }
}

beforeAll(async () => {
  toolchain = await testToolchain();
  scratch = await mkdtemp(join(tmpdir(), 'hydrate-chart-values-'));
  // A subchart packaged by the real helm, vendored as an archive; another one as a directory.
  await writeChart(join(scratch, 'cache'), {
    'Chart.yaml': 'apiVersion: v2\nname: cache\nversion: 1.2.0\n',
    'values.yaml': 'memory: 64Mi\n',
    'values.schema.json': '{"type": "object", "properties": {"memory": {"type": "string"}, "eviction": {"type": "string"}}}',
    'templates/configmap.yaml': 'data:\n  policy: {{ .Values.policy | default "lru" }}\n',
  });
  await writeChart(join(scratch, 'app'), {
    'Chart.yaml':
      'apiVersion: v2\nname: app\nversion: 0.1.0\ndependencies:\n  - name: database\n    alias: db\n    version: 2.0.0\n    condition: db.enabled\n  - name: cache\n    version: 1.2.0\n',
    'values.yaml': 'replicaCount: 1\n',
    'templates/deployment.yaml': 'replicas: {{ .Values.replicaCount }}\n',
    'charts/database/Chart.yaml': 'apiVersion: v2\nname: database\nversion: 2.0.0\n',
    'charts/database/values.yaml': 'auth:\n  database: app\n',
  });
  await execa(toolchain.helm.path, ['package', join(scratch, 'cache'), '--destination', join(scratch, 'app', 'charts')], {
    env: toolchain.env,
    extendEnv: false,
  });
});

afterAll(async () => {
  await toolchain?.remove();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

describe('loadChartDirectory', () => {
  it('reads values.yaml, the schema, template references and subcharts from directories and helm-packaged archives', async () => {
    const app = await loadChartDirectory(join(scratch, 'app'));
    expect(app).toMatchObject({ name: 'app', version: '0.1.0', defaults: { replicaCount: 1 }, conditions: ['db.enabled'] });
    expect([...app.references.read]).toEqual(['replicaCount']);
    expect([...app.subcharts.keys()]).toEqual(['db', 'cache']);
    expect(app.subcharts.get('db')).toMatchObject({ name: 'database', defaults: { auth: { database: 'app' } } });
    const cache = app.subcharts.get('cache')!;
    expect(cache).toMatchObject({
      name: 'cache',
      version: '1.2.0',
      defaults: { memory: '64Mi' },
      schema: { properties: { eviction: { type: 'string' } } },
    });
    expect([...cache.references.read]).toEqual(['policy']);
  });
});

describe('readTgz', () => {
  it('lists the files of an archive helm packaged', async () => {
    const archive = readTgz(await readFile(join(scratch, 'app', 'charts', 'cache-1.2.0.tgz')));
    expect([...archive.keys()].sort()).toEqual([
      'cache/Chart.yaml',
      'cache/templates/configmap.yaml',
      'cache/values.schema.json',
      'cache/values.yaml',
    ]);
    expect(archive.get('cache/values.yaml')!.toString()).toBe('memory: 64Mi\n');
  });
});
