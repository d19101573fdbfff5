import { mkdir, mkdtemp, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { EnvironmentManifests } from './resource.js';

/**
 * Replaces `outputDir/<environment>` for every given environment with exactly the rendered
 * resources. Everything is written to a staging tree beside `outputDir` first and each
 * environment directory is swapped in with a rename, so an interrupted or failed write never
 * leaves a half-written environment. Environments not given are left untouched.
 */
export async function writeManifestTree(outputDir: string, environments: readonly EnvironmentManifests[]): Promise<void> {
  await mkdir(outputDir, { recursive: true });
  const staging = await mkdtemp(join(dirname(outputDir), `.${basename(outputDir)}.staging-`));
  try {
    for (const environment of environments) {
      for (const { resources } of environment.releases) {
        for (const resource of resources) {
          const target = join(staging, 'new', ...resource.path.split('/'));
          await mkdir(dirname(target), { recursive: true });
          await writeFile(target, resource.content);
        }
      }
      // An environment whose releases all render is never empty; keep its directory regardless.
      await mkdir(join(staging, 'new', environment.environment), { recursive: true });
    }
    await mkdir(join(staging, 'old'));
    for (const environment of environments) {
      const current = join(outputDir, environment.environment);
      if (await exists(current)) await rename(current, join(staging, 'old', environment.environment));
      await rename(join(staging, 'new', environment.environment), current);
    }
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}
