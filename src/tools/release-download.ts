import { chmod, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import * as toolCache from '@actions/tool-cache';
import { findChecksum, isSha256, sha256OfFile } from './checksum.js';
import { expandTemplate, type ToolSpec } from './manifest.js';
import { platformKey, type Platform } from './platform.js';

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

  const values = { version: spec.version, os: platform.os, arch: platform.arch };
  const url = expandTemplate(spec.release.url, values);
  log(`downloading ${url}`);
  const archive = await toolCache.downloadTool(url);
  const expected = await expectedDigest(spec, platform, basename(new URL(url).pathname));
  const actual = await sha256OfFile(archive);
  if (actual !== expected) {
    throw new Error(
      `checksum mismatch for ${spec.name} ${spec.version} (${url}): expected sha256 ${expected}, got ${actual}. ` +
        'The download is corrupt or was tampered with; nothing was installed. Retry, or check the pinned digest in tools.json.',
    );
  }
  const extracted = url.endsWith('.zip') ? await toolCache.extractZip(archive) : await toolCache.extractTar(archive);
  const binary = join(extracted, expandTemplate(spec.release.binary, values));
  await chmod(binary, 0o755);
  const directory = await toolCache.cacheFile(binary, binaryName, spec.name, spec.version, platform.arch);
  return join(directory, binaryName);
}

async function expectedDigest(spec: ToolSpec, platform: Platform, archiveName: string): Promise<string> {
  const pinned = spec.release.sha256[platformKey(platform)];
  if (pinned) {
    if (!isSha256(pinned.toLowerCase()))
      throw new Error(`tools.json: ${spec.name} sha256 for ${platformKey(platform)} is not a SHA-256 digest: "${pinned}"`);
    return pinned.toLowerCase();
  }
  const checksumUrl = expandTemplate(spec.release.checksumUrl, { version: spec.version, os: platform.os, arch: platform.arch });
  const checksumFile = await readFile(await toolCache.downloadTool(checksumUrl), 'utf8');
  const digest = findChecksum(checksumFile, archiveName);
  if (!digest) {
    throw new Error(
      `${checksumUrl} lists no SHA-256 for ${archiveName}; refusing to run an unverified ${spec.name}. Pin the digest in tools.json ` +
        `(release.sha256["${platformKey(platform)}"]).`,
    );
  }
  return digest;
}
