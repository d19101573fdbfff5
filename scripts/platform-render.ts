/**
 * `npm run platform:render`: renders this repository's own platform (helmfile/, environments/)
 * into manifests/ from the upstream charts in ../shared/charts (through the chart mirror, offline),
 * exactly as test/platform/manifests.test.ts expects the committed files to be.
 */
import { writeManifestTree } from '../src/render/index.js';
import { prepareToolchain } from '../src/tools/index.js';
import { renderPlatform, REPOSITORY_ROOT } from '../test/platform/support/platform.js';
import { isolatedHelmEnv } from '../test/support/helm-home.js';
import { join } from 'node:path';

const toolchain = await prepareToolchain({ log: (message) => process.stderr.write(`tools: ${message}\n`) });
const helmHome = await isolatedHelmEnv();
try {
  const started = Date.now();
  const environments = await renderPlatform({ ...toolchain, env: { ...toolchain.env, ...helmHome.env } });
  await writeManifestTree(join(REPOSITORY_ROOT, 'manifests'), environments);
  for (const environment of environments) {
    const count = environment.releases.reduce((sum, release) => sum + release.resources.length, 0);
    process.stderr.write(`${environment.environment}: ${count} resource(s) in ${environment.releases.length} release(s)\n`);
  }
  process.stderr.write(`wrote manifests/ in ${((Date.now() - started) / 1000).toFixed(1)}s\n`);
} finally {
  await helmHome.remove();
}
