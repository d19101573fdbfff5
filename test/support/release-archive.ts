import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import type { Platform } from '../../src/tools/platform.js';

/**
 * The bytes of a helm release archive as get.helm.sh publishes them (`<os>-<arch>/helm` in a
 * .tar.gz), holding a script that prints `v<version>` as `helm version` does. Built under `work`.
 */
export async function helmReleaseArchive(work: string, platform: Platform, version: string): Promise<Buffer> {
  const build = await mkdtemp(join(work, 'archive-'));
  try {
    const tree = join(build, 'tree', `${platform.os}-${platform.arch}`);
    await mkdir(tree, { recursive: true });
    await writeFile(join(tree, 'helm'), `#!/bin/sh\necho "v${version}"\n`);
    await chmod(join(tree, 'helm'), 0o755);
    await execa('tar', ['-czf', join(build, 'archive.tar.gz'), '-C', join(build, 'tree'), '.']);
    return await readFile(join(build, 'archive.tar.gz'));
  } finally {
    await rm(build, { recursive: true, force: true });
  }
}
