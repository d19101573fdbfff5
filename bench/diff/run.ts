/**
 * Times helmfile-hydrate's diff step (match, normalize, mask, unified diff of every resource)
 * against GNU `diff -u -r` on the same two rendered trees of a large environment: several
 * multi-megabyte CRDs and a few thousand ordinary resources, base vs a chart-bump-like head.
 *
 *   npx tsx bench/diff/run.ts [--runs N]
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { diffManifests } from '../../src/diff/diff-manifests.js';
import { toNormalizedYaml } from '../../src/diff/normalized-yaml.js';
import type { EnvironmentManifests, RenderedResource } from '../../src/model/manifests.js';
import type { Side } from '../../src/side.js';
import { apiGroup } from '../../src/model/resource-key.js';
import { resourceFileName } from '../../src/render/file-name.js';

const run = promisify(execFile);
const runs = Number(process.argv[process.argv.indexOf('--runs') + 1]) || 5;

function crd(index: number, revision: Side): Record<string, unknown> {
  const properties: Record<string, unknown> = {};
  for (let i = 0; i < 9000; i++) {
    // A chart bump rewrites a few descriptions in every CRD.
    const touched = revision === 'head' && i % 1500 === 7;
    properties[`field${i}`] = {
      type: i % 3 ? 'string' : 'object',
      description: `Field ${i} of kind ${index}: ${touched ? 'now deprecated, use field' + (i + 1) : 'controls one aspect of the reconciliation loop in some detail'}.`,
      ...(i % 3 ? {} : { properties: { enabled: { type: 'boolean' }, replicas: { type: 'integer', format: 'int32', minimum: 0 } } }),
    };
  }
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `kind${index}s.example.com`, labels: labels(revision) },
    spec: {
      group: 'example.com',
      names: { kind: `Kind${index}`, plural: `kind${index}s` },
      scope: 'Namespaced',
      versions: [
        {
          name: 'v1',
          served: true,
          storage: true,
          schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', properties } } } },
        },
      ],
    },
  };
}

function labels(revision: Side): Record<string, string> {
  return {
    'app.kubernetes.io/name': 'platform',
    'helm.sh/chart': revision === 'base' ? 'platform-4.2.0' : 'platform-4.3.0',
    'app.kubernetes.io/version': revision === 'base' ? '4.2.0' : '4.3.0',
  };
}

function workload(index: number, revision: Side): Record<string, unknown>[] {
  const image = `registry.example.com/team/service-${index}:${revision === 'head' && index % 20 === 0 ? '2.0.1' : '2.0.0'}`;
  return [
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: `service-${index}`, namespace: 'apps', labels: labels(revision) },
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: `service-${index}` } },
        template: {
          metadata: { labels: { app: `service-${index}` }, annotations: { 'checksum/config': revision === 'base' ? 'a1b2' : 'c3d4' } },
          spec: {
            containers: [
              {
                name: 'app',
                image,
                env: [
                  { name: 'DB_PASSWORD', value: `pw-${index}-${revision === 'head' && index % 50 === 0 ? 'new' : 'old'}` },
                  { name: 'LOG_LEVEL', value: 'info' },
                ],
                resources: { requests: { cpu: '50m', memory: '64Mi' } },
              },
            ],
          },
        },
      },
    },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: `service-${index}`, namespace: 'apps', labels: labels(revision) },
      spec: { selector: { app: `service-${index}` }, ports: [{ port: 80, targetPort: 8080 }] },
    },
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: `service-${index}`, namespace: 'apps', labels: labels(revision) },
      data: { 'config.yaml': Array.from({ length: 30 }, (_, n) => `key${n}: value ${n} for ${index}`).join('\n') + '\n' },
    },
  ];
}

function render(revision: Side): EnvironmentManifests {
  const toResources = (release: string, objects: Record<string, unknown>[]): RenderedResource[] =>
    objects.map((object) => {
      const metadata = object.metadata as { name: string; namespace?: string };
      const key = {
        group: apiGroup(String(object.apiVersion)),
        kind: String(object.kind),
        name: metadata.name,
        ...(metadata.namespace ? { namespace: metadata.namespace } : {}),
      };
      const path = `production/${release}/${resourceFileName(key)}`;
      return {
        key,
        apiVersion: String(object.apiVersion),
        environment: 'production',
        release,
        path,
        content: `# Source: ${release}/templates/x.yaml\n${toNormalizedYaml(object)}`,
        object,
        source: `${release}/templates/x.yaml`,
      };
    });
  const version = revision === 'base' ? '4.2.0' : '4.3.0';
  return {
    environment: 'production',
    releases: [
      {
        release: { name: 'operators', namespace: 'operators', chart: 'platform/operators', version, enabled: true, labels: '' },
        resources: toResources(
          'operators',
          Array.from({ length: 4 }, (_, i) => crd(i, revision)),
        ),
      },
      {
        release: { name: 'services', namespace: 'apps', chart: 'platform/services', version, enabled: true, labels: '' },
        resources: toResources('services', Array.from({ length: 700 }, (_, i) => workload(i, revision)).flat()),
      },
    ],
  };
}

async function writeTree(root: string, environment: EnvironmentManifests): Promise<number> {
  let bytes = 0;
  for (const { resources } of environment.releases) {
    for (const resource of resources) {
      const target = join(root, resource.path);
      await mkdir(dirname(target), { recursive: true });
      await writeFile(target, resource.content);
      bytes += Buffer.byteLength(resource.content);
    }
  }
  return bytes;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

const base = render('base');
const head = render('head');
const work = await mkdtemp(join(tmpdir(), 'hydrate-bench-diff-'));
try {
  const baseBytes = await writeTree(join(work, 'base'), base);
  const headBytes = await writeTree(join(work, 'head'), head);
  const resources = base.releases.reduce((n, r) => n + r.resources.length, 0);
  const hydrateTimes: number[] = [];
  const diffTimes: number[] = [];
  let summary = '';
  let gnuLines = 0;
  for (let i = 0; i < runs; i++) {
    let started = performance.now();
    const result = diffManifests([base], [head]);
    hydrateTimes.push(performance.now() - started);
    const changes = result.environments[0]!.releases.flatMap((r) => r.resources);
    summary = `${changes.filter((c) => c.patch).length} resource diffs shown, ${result.environments[0]!.noiseOnly.count} noise-only, ${result.environments[0]!.images.length} image changes`;
    started = performance.now();
    const gnu = await run('diff', ['-u', '-r', 'base', 'head'], { cwd: work, maxBuffer: 1 << 30 }).catch((error: { stdout?: string }) => ({
      stdout: error.stdout ?? '',
    }));
    diffTimes.push(performance.now() - started);
    gnuLines = gnu.stdout.split('\n').length;
  }
  const hydrate = median(hydrateTimes);
  const gnu = median(diffTimes);
  console.log(
    `renders: ${resources} resources per side, ${(baseBytes / 1e6).toFixed(1)} MB base, ${(headBytes / 1e6).toFixed(1)} MB head (4 CRDs of ${(base.releases[0]!.resources[0]!.content.length / 1e6).toFixed(2)} MB)`,
  );
  console.log(`helmfile-hydrate diff step: ${hydrate.toFixed(0)} ms (median of ${runs}; ${summary})`);
  console.log(`diff -u -r:                 ${gnu.toFixed(0)} ms (median of ${runs}; ${gnuLines} output lines, noise and secrets included)`);
  console.log(`ratio (hydrate / diff -u):  ${(hydrate / gnu).toFixed(2)}`);
} finally {
  await rm(work, { recursive: true, force: true });
}
