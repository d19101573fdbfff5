/**
 * `npm run platform:render`: renders this repository's own platform (helmfile/, environments/)
 * into manifests/ from the upstream charts in ../shared/charts (through the chart mirror, offline),
 * exactly as test/platform/real-charts.int.test.ts expects the committed files to be.
 */
import { join } from 'node:path';
import { hydrate } from '../src/render/render.js';
import { readRepositoryPins } from '../src/tools/repository-pins-file.js';
import { prepareToolchain } from '../src/tools/toolchain.js';
import { platformRenderSettings, REPOSITORY_ROOT } from '../test/platform/support/platform.js';

// The helm and helmfile the platform pins in its .helmfile-hydrate.yaml, as the action renders it.
const toolchain = await prepareToolchain({
  versions: await readRepositoryPins(REPOSITORY_ROOT),
  log: (message) => process.stderr.write(`tools: ${message}\n`),
});
const started = Date.now();
const environments = await hydrate(
  { ...platformRenderSettings(), outputDir: join(REPOSITORY_ROOT, 'manifests'), repositoryRoot: REPOSITORY_ROOT },
  toolchain,
  ({ environment, release, message }) => process.stderr.write(`${environment}${release ? `/${release}` : ''}: ${message}\n`),
);
for (const environment of environments) {
  const count = environment.releases.reduce((sum, release) => sum + release.resources.length, 0);
  process.stderr.write(`${environment.environment}: ${count} resource(s) in ${environment.releases.length} release(s)\n`);
}
process.stderr.write(`wrote manifests/ in ${((Date.now() - started) / 1000).toFixed(1)}s\n`);
