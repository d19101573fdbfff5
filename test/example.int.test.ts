import { cp, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { hydrate } from '../src/render/render.js';
import { OWNERSHIP_FILE } from '../src/render/ownership.js';
import { testToolchain } from './support/toolchain.js';

const EXAMPLE = new URL('../example/', import.meta.url).pathname;

async function readTree(root: string): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  for (const entry of await readdir(root, { recursive: true, withFileTypes: true })) {
    if (entry.isFile())
      files[join(entry.parentPath, entry.name).slice(root.length + 1)] = await readFile(join(entry.parentPath, entry.name), 'utf8');
  }
  return files;
}

// example/manifests/ is committed so that a newcomer can read the output without running
// anything; rendering the example again must give exactly those bytes.
describe('the bundled example', () => {
  let work: string;
  let toolchain: Awaited<ReturnType<typeof testToolchain>>;

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'hydrate-example-'));
    await cp(join(EXAMPLE, 'helmfile'), join(work, 'helmfile'), { recursive: true });
    await cp(join(EXAMPLE, 'environments'), join(work, 'environments'), { recursive: true });
    toolchain = await testToolchain();
  });
  afterAll(async () => {
    await rm(work, { recursive: true, force: true });
    await toolchain.remove();
  });

  it('renders to the committed example/manifests, byte for byte', async () => {
    const env = { ...toolchain.env, HYDRATE_EXAMPLE_CHART_REPOSITORY: inject('chartRepositoryUrl') };
    await hydrate({ helmfile: join(work, 'helmfile'), outputDir: join(work, 'manifests') }, { ...toolchain, env });
    const rendered = await readTree(join(work, 'manifests'));
    expect(Object.keys(rendered).length).toBe(34); // 33 resources and render's ownership record
    // Input fingerprints name the digest of each chart archive, and the fixture repository packages
    // its charts at test time (archive digests vary with file times): compare the record without them.
    const withoutFingerprints = (files: Record<string, string>) => ({
      ...files,
      [OWNERSHIP_FILE]: JSON.stringify({ ...JSON.parse(files[OWNERSHIP_FILE]!), fingerprints: undefined }),
    });
    expect(withoutFingerprints(rendered)).toEqual(withoutFingerprints(await readTree(join(EXAMPLE, 'manifests'))));
  });
});
