import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error -- plain ESM build script without type declarations
import { bundle } from '../scripts/bundle.mjs';

// The action runs dist/index.js, not src/: a stale bundle would ship old behaviour.
describe('dist/', () => {
  it('is exactly what `npm run build` produces from the current sources', async () => {
    const outdir = await mkdtemp(join(tmpdir(), 'hydrate-dist-'));
    try {
      await (bundle as (outdir: string) => Promise<void>)(outdir);
      for (const file of ['index.js', 'cli.js', 'helm-mirror.js']) {
        const fresh = await readFile(join(outdir, file), 'utf8');
        const committed = await readFile(new URL(`../dist/${file}`, import.meta.url), 'utf8').catch(() => '');
        expect(committed === fresh, `dist/${file} is stale: run \`npm run build\` and commit dist/`).toBe(true);
      }
      expect((await stat(new URL('../dist/cli.js', import.meta.url))).mode & 0o111).not.toBe(0);
    } finally {
      await rm(outdir, { recursive: true, force: true });
    }
  });
});
