/**
 * Benchmark: validate the same rendered manifests with `helmfile-hydrate validate` and with the
 * real kubeconform, both given the Kubernetes 1.35 schemas from a local HTTP server, cold (empty
 * schema cache, new process) and warm (second run, cache filled, new process).
 *
 * The manifests are real renders of the fixture charts (webapp, csi-driver, widget-operator) by
 * the real helmfile, many releases per environment. kubeconform gets the same schemas converted
 * by helmfile-hydrate's own converter into its layout (one standalone JSON Schema per kind,
 * including the Widget CRD), served over HTTP with its own -cache directory.
 *
 * Usage: npx tsx bench/validate/run.ts [webapp releases per environment = 90] [repetitions = 3]
 * (HYDRATE_BENCH_KEEP_MANIFESTS=<dir> keeps a copy of the rendered manifests.)
 */
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { execa } from 'execa';
import { renderEnvironments } from '../../src/render/render.js';
import { writeManifestTree } from '../../src/render/manifest-tree.js';
import type { EnvironmentManifests } from '../../src/model/manifests.js';
import { prepareToolchain } from '../../src/tools/toolchain.js';
import { resolveTool } from '../../src/tools/resolve.js';
import { createSchemaSource } from '../../src/validate/schemas/schema-source.js';
import { validateEnvironments } from '../../src/validate/validate.js';
import { startChartRepository } from '../../test/support/chart-repository.js';
import { GitopsRepo, type FixtureRelease } from '../../test/support/gitops-repo.js';
import { isolatedHelmEnv } from '../../test/support/helm-home.js';
import { KUBERNETES_OPENAPI_DOCUMENTS, startKubernetesOpenApiServer } from '../../test/support/kubernetes-openapi-server.js';
import { kubeconformArguments, serveKubeconformSchemas, writeKubeconformSchemas } from './kubeconform-schemas.js';

const webappsPerEnvironment = Number(process.argv[2] ?? 90);
const repetitions = Number(process.argv[3] ?? 3);
const ENVIRONMENTS = ['dev', 'qa', 'staging', 'production', 'dr'];
const KUBERNETES_VERSION = '1.35';

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
async function time(task: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await task();
  return performance.now() - start;
}

const toolchain = await prepareToolchain();
const kubeconform = await resolveTool('kubeconform');
const helmHome = await isolatedHelmEnv();
const work = await mkdtemp(join(tmpdir(), 'hydrate-bench-validate-'));
const repository = await startChartRepository(toolchain.helm.path, undefined, { ...toolchain.env, ...helmHome.env });
const openapi = await startKubernetesOpenApiServer();
let repo: GitopsRepo | undefined;
try {
  // 1. Real renders: per environment one csi-driver, one widget-operator (CRD + Widget), many webapps.
  const releases: FixtureRelease[] = [
    { name: 'csi', namespace: 'storage', chart: 'csi-driver', version: '2.1.0' },
    { name: 'widgets', namespace: 'operators', chart: 'widget-operator', version: '0.2.0' },
    ...Array.from({ length: webappsPerEnvironment }, (_, index) => ({
      name: `app-${String(index).padStart(3, '0')}`,
      namespace: `team-${index % 7}`,
      chart: 'webapp',
      version: '1.1.0',
      values: {
        replicaCount: 2 + (index % 3),
        ingress: { enabled: index % 2 === 0, host: `app-${index}.example.com` },
        config: { INDEX: String(index) },
      },
    })),
  ];
  repo = await GitopsRepo.create({ repositoryUrl: repository.url, environments: ENVIRONMENTS, releases });
  const renderStarted = performance.now();
  const environments: EnvironmentManifests[] = await renderEnvironments(
    { helmfile: repo.helmfile, cwd: repo.dir },
    { ...toolchain, env: { ...toolchain.env, ...helmHome.env } },
  );
  const resourceCount = environments.reduce(
    (sum, environment) => sum + environment.releases.reduce((n, release) => n + release.resources.length, 0),
    0,
  );
  const manifests = join(work, 'manifests');
  await writeManifestTree(manifests, environments);
  // To look at (or profile against) what was validated: HYDRATE_BENCH_KEEP_MANIFESTS=<dir>.
  if (process.env.HYDRATE_BENCH_KEEP_MANIFESTS) await cp(manifests, process.env.HYDRATE_BENCH_KEEP_MANIFESTS, { recursive: true });
  const kinds = [...new Set(environments.flatMap((e) => e.releases.flatMap((r) => r.resources.map((x) => x.key.kind))))].sort();
  console.log(
    `rendered ${resourceCount} resources (${ENVIRONMENTS.length} environments x ${releases.length} releases; kinds: ${kinds.join(', ')}) in ${((performance.now() - renderStarted) / 1000).toFixed(1)} s`,
  );

  // 2. helmfile-hydrate as users run it: the bundled CLI in a new process per run.
  const bundleDirectory = join(work, 'dist');
  // The project's own bundler (scripts/bundle.mjs, untyped JavaScript) builds what users run.
  const { bundle } = (await import(new URL('../../scripts/bundle.mjs', import.meta.url).href)) as {
    bundle: (outdir: string) => Promise<void>;
  };
  await bundle(bundleDirectory);
  const hydrateRun = async (cache: string) => {
    const result = await execa(
      process.execPath,
      [
        join(bundleDirectory, 'cli.js'),
        'validate',
        '--manifests',
        manifests,
        '--kubernetes-schemas',
        openapi.baseUrl,
        '--schema-cache',
        cache,
        '--kubernetes-version',
        KUBERNETES_VERSION,
        '--format',
        'json',
      ],
      {
        reject: false,
      },
    );
    const report = JSON.parse(result.stdout) as { resourceCount: number; findings: unknown[] };
    if (result.exitCode !== 0 || report.resourceCount !== resourceCount)
      throw new Error(
        `helmfile-hydrate: exit ${result.exitCode}, ${report.findings.length} finding(s), ${report.resourceCount} resources\n${result.stdout.slice(0, 2000)}`,
      );
  };

  // 3. kubeconform with the same schemas, converted now into its layout and served over HTTP.
  const kubeconformSchemas = join(work, 'kubeconform-schemas');
  const written = await writeKubeconformSchemas(
    join(KUBERNETES_OPENAPI_DOCUMENTS, KUBERNETES_VERSION, 'api', 'openapi-spec', 'v3'),
    environments,
    kubeconformSchemas,
  );
  const schemaServer = await serveKubeconformSchemas(kubeconformSchemas);
  const kubeconformRun = async (cache: string) => {
    const result = await execa(
      kubeconform.path,
      // The environment directories only: manifests/.helmfile-hydrate.json is not a resource.
      kubeconformArguments(
        schemaServer.url,
        cache,
        ENVIRONMENTS.map((name) => join(manifests, name)),
      ),
      { reject: false },
    );
    const summary = (JSON.parse(result.stdout) as { summary: { valid: number; invalid: number; errors: number; skipped: number } }).summary;
    if (result.exitCode !== 0 || summary.valid !== resourceCount)
      throw new Error(`kubeconform: exit ${result.exitCode}, summary ${JSON.stringify(summary)}\n${result.stdout.slice(0, 2000)}`);
  };
  console.log(
    `kubeconform ${kubeconform.version}: ${written.kinds} standalone schemas (${(written.bytes / 1e6).toFixed(1)} MB) converted from the same documents`,
  );

  // 4. Cold (empty cache, new process) and warm (cache filled, new process), alternating tools.
  const results = { hydrate: { cold: [] as number[], warm: [] as number[] }, kubeconform: { cold: [] as number[], warm: [] as number[] } };
  for (let run = 0; run < repetitions; run++) {
    for (const [name, runner] of [
      ['hydrate', hydrateRun],
      ['kubeconform', kubeconformRun],
    ] as const) {
      const cache = await mkdtemp(join(work, `${name}-cache-`));
      results[name].cold.push(await time(() => runner(cache)));
      results[name].warm.push(await time(() => runner(cache)));
      await rm(cache, { recursive: true, force: true });
    }
  }

  // 5. The pipeline's validation step alone (render output already parsed), in a new process:
  //    cold = empty schema cache, warm = cache filled; then hot = the same process validating again
  //    (the action validates base and head with one schema source: nothing compiles twice).
  const stepRun = async (cache: string) => {
    const result = await execa(process.execPath, [
      '--import',
      'tsx',
      'bench/validate/validate-rendered.ts',
      manifests,
      openapi.baseUrl,
      cache,
    ]);
    const parsed = JSON.parse(result.stdout) as { ms: number; resources: number; findings: number };
    if (parsed.resources !== resourceCount || parsed.findings !== 0) throw new Error(`validation step: ${result.stdout}`);
    return parsed.ms;
  };
  const step = { cold: [] as number[], warm: [] as number[] };
  for (let run = 0; run < repetitions; run++) {
    const cache = await mkdtemp(join(work, 'step-cache-'));
    step.cold.push(await stepRun(cache));
    step.warm.push(await stepRun(cache));
    await rm(cache, { recursive: true, force: true });
  }
  const schemaCache = await mkdtemp(join(work, 'hot-cache-'));
  const schemas = createSchemaSource({
    kubernetesVersion: KUBERNETES_VERSION,
    kubernetesSchemas: openapi.baseUrl,
    cacheDirectory: schemaCache,
  });
  await validateEnvironments(environments, { schemas });
  const hotRuns: number[] = [];
  for (let run = 0; run < repetitions; run++) hotRuns.push(await time(() => validateEnvironments(environments, { schemas })));

  const rate = (ms: number) => resourceCount / (ms / 1000);
  const line = (label: string, ms: number) =>
    `${label.padEnd(44)} ${ms.toFixed(0).padStart(6)} ms  ${rate(ms).toFixed(0).padStart(7)} resources/s`;
  console.log(`\n${resourceCount} resources, median of ${repetitions} runs, wall time of the whole process:`);
  for (const phase of ['cold', 'warm'] as const) {
    const ours = median(results.hydrate[phase]);
    const theirs = median(results.kubeconform[phase]);
    console.log(line(`helmfile-hydrate validate (${phase})`, ours));
    console.log(line(`kubeconform -strict (${phase})`, theirs));
    console.log(`${`ratio helmfile-hydrate / kubeconform (${phase}, resources/s)`.padEnd(44)} ${(rate(ours) / rate(theirs)).toFixed(2)}`);
  }
  console.log(`\nvalidation step of the pipeline (render output in memory; no process start, no YAML parsing):`);
  console.log(line('helmfile-hydrate, new process (cold)', median(step.cold)));
  console.log(line('helmfile-hydrate, new process (warm)', median(step.warm)));
  console.log(line('helmfile-hydrate, same process again (hot)', median(hotRuns)));
  console.log(
    `${'ratio to kubeconform warm (resources/s)'.padEnd(44)} cold ${(rate(median(step.cold)) / rate(median(results.kubeconform.warm))).toFixed(2)}, warm ${(rate(median(step.warm)) / rate(median(results.kubeconform.warm))).toFixed(2)}, hot ${(rate(median(hotRuns)) / rate(median(results.kubeconform.warm))).toFixed(2)}`,
  );
  await schemaServer.close();
} finally {
  await repo?.remove();
  await openapi.close();
  await repository.close();
  await helmHome.remove();
  await rm(work, { recursive: true, force: true });
}
