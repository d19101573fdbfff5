// Bundles the action (dist/index.js), the CLI (dist/cli.js) and the chart mirror's helm wrapper
// (dist/helm-mirror.js, the program helmfile runs as helm when a mirror is set) with esbuild.
// `node scripts/bundle.mjs [outdir]`; test/dist.int.test.ts rebuilds into a temporary directory and
// fails when the committed dist/ differs, so dist/ is always what src/ says.
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';
import { chmod } from 'node:fs/promises';

// Bundled CommonJS dependencies call require() for Node built-ins; ESM output has no require.
const requireShim =
  "import { createRequire as __hydrateCreateRequire } from 'node:module';\nconst require = __hydrateCreateRequire(import.meta.url);";

const common = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  charset: 'utf8',
  legalComments: 'none',
  logLevel: 'warning',
};

export async function bundle(outdir) {
  await build({ ...common, entryPoints: { index: 'src/index.ts' }, outdir, banner: { js: requireShim } });
  await build({ ...common, entryPoints: { cli: 'src/cli.ts' }, outdir, banner: { js: `#!/usr/bin/env node\n${requireShim}` } });
  await chmod(resolve(outdir, 'cli.js'), 0o755);
  // Found beside index.js and cli.js by src/render/chart-mirror.ts.
  await build({ ...common, entryPoints: { 'helm-mirror': 'src/render/helm-mirror.ts' }, outdir });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await bundle(process.argv[2] ?? 'dist');
}
