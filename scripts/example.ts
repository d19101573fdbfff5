/**
 * `npm run example`: renders the bundled offline example (example/) with the bundled CLI.
 * Starts a local Helm chart repository with the project's own fixture charts, runs
 * `helmfile-hydrate render`, stops the repository. Output: example/manifests/.
 */
import { execa } from 'execa';
import { prepareToolchain } from '../src/tools/toolchain.js';
import { startChartRepository } from '../test/support/chart-repository.js';
import { isolatedHelmEnv } from '../test/support/helm-home.js';

const toolchain = await prepareToolchain({ log: (message) => process.stderr.write(`tools: ${message}\n`) });
const helmHome = await isolatedHelmEnv();
const repository = await startChartRepository(toolchain.helm.path, undefined, { ...toolchain.env, ...helmHome.env });
process.stderr.write(`chart repository with the fixture charts: ${repository.url}\n`);
try {
  const result = await execa(
    process.execPath,
    [
      'dist/cli.js',
      'render',
      '--helmfile',
      'example/helmfile',
      '--output-dir',
      'example/manifests',
      '--helm',
      toolchain.helm.path,
      '--helmfile-binary',
      toolchain.helmfile.path,
    ],
    { env: { ...helmHome.env, HYDRATE_EXAMPLE_CHART_REPOSITORY: repository.url }, stdio: 'inherit', reject: false },
  );
  process.exitCode = result.exitCode ?? 1;
  if (result.exitCode === 0) process.stderr.write('open example/manifests/ to see one file per rendered resource\n');
} finally {
  await repository.close();
  await helmHome.remove();
}
