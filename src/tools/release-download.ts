import { chmod, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import * as toolCache from '@actions/tool-cache';
import { expandTemplate, releaseTemplateValues, type ToolSpec } from './manifest.js';
import type { Platform } from './platform.js';
import { expectedReleaseDigest, verifyReleaseArchive } from './release-digest.js';

export interface ReleaseDownloadOptions {
  log?: (message: string) => void;
}

/**
 * Installs the official release archive of `spec` into the runner's tool cache and returns the
 * binary's path. The archive's SHA-256 is checked before anything is extracted: against the
 * digest pinned in tools.json, else against the checksum file the project publishes.
 */
export async function installFromRelease(spec: ToolSpec, platform: Platform, options: ReleaseDownloadOptions = {}): Promise<string> {
  const log = options.log ?? (() => {});
  const binaryName = platform.os === 'windows' ? `${spec.name}.exe` : spec.name;
  const cached = toolCache.find(spec.name, spec.version, platform.arch);
  if (cached) return join(cached, binaryName);

  const values = releaseTemplateValues(spec, platform);
  const url = expandTemplate(spec.release.url, values);
  log(`downloading ${url}`);
  const archive = await toolCache.downloadTool(url);
  const expected = await expectedReleaseDigest(spec, platform, basename(new URL(url).pathname), async (checksumUrl) =>
    readFile(await toolCache.downloadTool(checksumUrl), 'utf8'),
  );
  await verifyReleaseArchive(spec, url, archive, expected);
  if (spec.release.archive === false) {
    await chmod(archive, 0o755);
    const directory = await toolCache.cacheFile(archive, binaryName, spec.name, spec.version, platform.arch);
    return join(directory, binaryName);
  }
  const extracted = url.endsWith('.zip') ? await toolCache.extractZip(archive) : await toolCache.extractTar(archive);
  const binary = join(extracted, expandTemplate(spec.release.binary, values));
  await chmod(binary, 0o755);
  const directory = await toolCache.cacheFile(binary, binaryName, spec.name, spec.version, platform.arch);
  return join(directory, binaryName);
}
