import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { stringify } from 'yaml';
import { runCli } from '../../src/cli.js';
import { startKubernetesOpenApiServer, type KubernetesOpenApiServer } from '../support/kubernetes-openapi-server.js';
import { hookRefusalCases, refusalCases, validObjects } from './refusal-fixtures.js';

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { terminal: { out: (t: string) => out.push(t), err: (t: string) => err.push(t) }, out, err };
}

async function writeRelease(directory: string, objects: Record<string, any>[]) {
  await mkdir(directory, { recursive: true });
  for (const object of objects) {
    await writeFile(
      join(directory, `${object.kind.toLowerCase()}_${object.metadata.namespace ?? ''}_${object.metadata.name}.yaml`),
      stringify(object),
    );
  }
}

describe('validate --api-server (the rebuild drill)', () => {
  let manifests: string;
  let cache: string;
  let server: KubernetesOpenApiServer;

  beforeAll(async () => {
    server = await startKubernetesOpenApiServer();
    manifests = await mkdtemp(join(tmpdir(), 'hydrate-drill-'));
    cache = await mkdtemp(join(tmpdir(), 'hydrate-drill-cache-'));
    await writeRelease(join(manifests, 'production', 'web'), validObjects());
    await writeRelease(
      join(manifests, 'production', 'broken'),
      refusalCases().map((refusal) => refusal.object),
    );
    const hooks = hookRefusalCases();
    await writeRelease(join(manifests, 'production', 'hooks'), [...hooks.refused.map((refusal) => refusal.object), hooks.skipped]);
    await writeRelease(join(manifests, 'staging', 'web'), validObjects());
  });
  afterAll(async () => {
    await server.close();
    await rm(manifests, { recursive: true, force: true });
    await rm(cache, { recursive: true, force: true });
  });

  const common = () => [
    '--manifests',
    manifests,
    '--kubernetes-schemas',
    server.baseUrl,
    '--schema-cache',
    cache,
    '--api-server',
    '--api-server-binaries',
    inject('apiServerDirectory'),
    // The rehearsal has tests of its own (test/rehearsal); these objects are refused before any pod exists.
    '--no-rehearsal',
  ];

  it('reports each of the 29 mistakes and each refused hook once: the schema finding where the schemas see it, the API server finding otherwise', async () => {
    const run = capture();
    expect(await runCli(['validate', ...common(), '--format', 'json'], run.terminal), run.err.join('')).toBe(1);
    const report = JSON.parse(run.out.join('')) as {
      findings: { resource: { name: string }; rule: string; message: string; file: string }[];
      apiServer: { version: string; notExercised: unknown[] };
    };
    const cases = refusalCases();
    const hooks = hookRefusalCases().refused;
    const byName = new Map<string, { rule: string; message: string; file: string }[]>();
    for (const finding of report.findings) byName.set(finding.resource.name, [...(byName.get(finding.resource.name) ?? []), finding]);
    // The Skip hook is not among them: Argo CD never applies it.
    expect([...byName.keys()].sort()).toEqual([...cases, ...hooks].map((refusal) => refusal.name).sort());
    const unexpected = cases.flatMap((refusal) => {
      const findings = byName.get(refusal.name)!;
      const once = findings.length === 1 && (findings[0]!.rule === 'api-server') === !refusal.schema;
      return once ? [] : [`${refusal.name}: ${findings.map((finding) => `${finding.rule} ${finding.message}`).join(' | ')}`];
    });
    expect(unexpected).toEqual([]);
    expect(
      hooks.map((refusal) => {
        const [finding] = byName.get(refusal.name)!;
        return [finding!.rule, finding!.file, finding!.message.includes(refusal.message as string) || finding!.message];
      }),
    ).toEqual(hooks.map((refusal) => ['api-server', `production/hooks/job_apps_${refusal.name}.yaml`, true]));
    expect(
      report.findings.every((finding) => finding.file.startsWith('production/broken/') || finding.file.startsWith('production/hooks/')),
    ).toBe(true);
    expect(report.apiServer).toEqual({ version: '1.35.0', notExercised: [] });
  });

  it('passes a valid environment and says which server judged it', async () => {
    const run = capture();
    expect(await runCli(['validate', ...common(), '-e', 'staging'], run.terminal), run.out.join('') + run.err.join('')).toBe(0);
    expect(run.out.join('')).toMatch(
      /0 finding\(s\) in 7 resource\(s\) validated against Kubernetes 1\.35; 0 skipped, 0 warning\(s\); applied to kube-apiserver 1\.35\.0/,
    );
    // Every image is resolved against its registry meanwhile; the fixtures' registry has no address here.
    expect(run.out.join('')).toMatch(
      /^0 of \d+ images the environments run resolved against their registries; not checked \(1\):\n {2}registry\.example\.com: not reachable: /m,
    );
  });
});
