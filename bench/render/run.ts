/**
 * Benchmark: `helmfile-hydrate render` of the bundled example (2 environments) against what a user
 * would otherwise run, `helmfile template` once per environment, in one run on one machine.
 * Usage: npx tsx bench/render/run.ts [iterations]
 */
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { HelmfileCommand } from '../../src/render/helmfile.js';
import { hydrate } from '../../src/render/render.js';
import { prepareToolchain } from '../../src/tools/toolchain.js';
import { startChartRepository } from '../../test/support/chart-repository.js';
import { isolatedHelmEnv } from '../../test/support/helm-home.js';

const iterations = Number(process.argv[2] ?? 5);
const environments = ['staging', 'production'];
const toolchain = await prepareToolchain();
const helmHome = await isolatedHelmEnv();
const repository = await startChartRepository(toolchain.helm.path, undefined, { ...toolchain.env, ...helmHome.env });
const work = await mkdtemp(join(tmpdir(), 'hydrate-bench-render-'));
await cp('example/helmfile', join(work, 'helmfile'), { recursive: true });
await cp('example/environments', join(work, 'environments'), { recursive: true });
const env = {
  ...toolchain.env,
  ...helmHome.env,
  HYDRATE_EXAMPLE_CHART_REPOSITORY: repository.url,
  HELMFILE_UPGRADE_NOTICE_DISABLED: 'true',
};

async function time(task: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await task();
  return performance.now() - start;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const plain: number[] = [];
const hydrated: number[] = [];
try {
  for (let i = 0; i < iterations; i++) {
    plain.push(
      await time(async () => {
        for (const environment of environments) {
          // What a user runs by hand: helmfile template of every release (through the product's wrapper, same flags).
          const output = await mkdtemp(join(work, 'plain-'));
          await new HelmfileCommand({
            helmfile: toolchain.helmfile.path,
            helm: toolchain.helm.path,
            file: join(work, 'helmfile'),
            env,
          }).template(environment, output);
          await rm(output, { recursive: true, force: true });
        }
      }),
    );
    hydrated.push(
      await time(() => hydrate({ helmfile: join(work, 'helmfile'), outputDir: join(work, 'manifests') }, { ...toolchain, env })),
    );
  }
  const a = median(plain);
  const b = median(hydrated);
  console.log(`helmfile template x${environments.length} environments (sequential): median ${a.toFixed(0)} ms over ${iterations} runs`);
  console.log(`helmfile-hydrate render (list + template + split + write, environments in parallel): median ${b.toFixed(0)} ms`);
  console.log(`ratio helmfile-hydrate / plain helmfile: ${(b / a).toFixed(2)}`);
} finally {
  await repository.close();
  await helmHome.remove();
  await rm(work, { recursive: true, force: true });
}
