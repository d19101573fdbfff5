import { chmod, mkdir, rename } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { withTemporaryDirectory } from '../fs/temporary-directory.js';
import { runProgram } from '../process/run-program.js';
import { childEnvironment } from './child-environment.js';
import { downloadText, downloadToFile } from './http-download.js';
import { expandTemplate, releaseTemplateValues, type ToolSpec } from './manifest.js';
import type { Platform } from './platform.js';
import { expectedReleaseDigest, verifyReleaseArchive } from './release-digest.js';

/**
 * Installs the official release archive of `spec` as the file `destination` (the helmfile-hydrate
 * cache; runners use `installFromRelease` and their tool cache). The archive's SHA-256 is checked
 * before anything is extracted, as on runners. Throws DownloadUnavailableError when the archive or
 * its checksum file cannot be fetched, ChecksumMismatchError when the bytes are not the expected ones.
 * Works in a temporary directory beside `destination`, so nothing half-written is ever left there.
 */
export async function installReleaseInto(
  spec: ToolSpec,
  platform: Platform,
  destination: string,
  options: { log?: (message: string) => void } = {},
): Promise<void> {
  const values = releaseTemplateValues(spec, platform);
  const url = expandTemplate(spec.release.url, values);
  await mkdir(dirname(destination), { recursive: true });
  await withTemporaryDirectory(
    '.download-',
    async (work) => {
      const archive = join(work, basename(new URL(url).pathname));
      options.log?.(`downloading ${url}`);
      await downloadToFile(url, archive);
      await verifyReleaseArchive(spec, url, archive, await expectedReleaseDigest(spec, platform, basename(archive), downloadText));
      if (spec.release.archive === false) {
        await chmod(archive, 0o755);
        await rename(archive, destination);
        return;
      }
      const extracted = join(work, 'extracted');
      await mkdir(extracted);
      // tar reads .tar.gz everywhere, and zip where it is bsdtar (macOS, Windows).
      const result = await runProgram('tar', ['-xf', archive, '-C', extracted], { env: childEnvironment() });
      if (result.exitCode !== 0)
        throw new Error(`extracting ${url} failed: tar exited with ${result.exitCode}: ${result.stderr || result.interruption}`);
      const binary = join(extracted, expandTemplate(spec.release.binary, values));
      await chmod(binary, 0o755);
      await rename(binary, destination);
    },
    dirname(destination),
  );
}
