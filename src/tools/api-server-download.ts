import { chmod, copyFile, mkdir, mkdtemp, readFile, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import * as toolCache from '@actions/tool-cache';
import { parse } from 'yaml';
import { digestOfFile } from './checksum.js';
import { downloadToFile } from './http-download.js';
import { ChecksumMismatchError } from './release-digest.js';
import { API_SERVER_PROGRAMS, type ApiServerSpec } from './api-server-spec.js';
import { expandTemplate } from './manifest.js';
import { platformKey, type Platform } from './platform.js';

const SHA512_HEX = /^[0-9a-f]{128}$/;

/**
 * The SHA-512 controller-tools lists for `archiveName` in its `envtest-releases.yaml`
 * (`releases.v<version>.<archive>.hash`); undefined when it lists none.
 */
export function findEnvtestDigest(releasesYaml: string, version: string, archiveName: string): string | undefined {
  const document = parse(releasesYaml) as { releases?: Record<string, Record<string, { hash?: unknown }>> } | null;
  const hash = document?.releases?.[`v${version}`]?.[archiveName]?.hash;
  return typeof hash === 'string' && SHA512_HEX.test(hash.toLowerCase()) ? hash.toLowerCase() : undefined;
}

/**
 * Installs kube-apiserver and etcd of `version` from the envtest archive into `directory`. The
 * archive's SHA-512 is checked before anything is extracted: against the digest pinned in
 * tools.json, else against the one controller-tools lists. A verified archive is kept in
 * `archiveDirectory` (the action keeps that folder in the Actions cache: data, checked again on
 * every use, never a binary restored and run as it is).
 */
export async function downloadApiServer(
  spec: ApiServerSpec,
  version: string,
  platform: Platform,
  directory: string,
  options: { archiveDirectory?: string; log?: (message: string) => void } = {},
): Promise<void> {
  const log = options.log ?? (() => {});
  const values = { version, os: platform.os, arch: platform.arch };
  const url = expandTemplate(spec.release.url, values);
  const archiveName = basename(new URL(url).pathname);
  const expected = await expectedDigest(spec, version, platform, archiveName);
  const kept = options.archiveDirectory ? join(options.archiveDirectory, archiveName) : undefined;
  const reusable = kept && (await digestOfFile(kept, 'sha512').catch(() => undefined)) === expected;
  if (!reusable) log(`downloading ${url}`);
  const scratch = await mkdtemp(join(tmpdir(), 'helmfile-hydrate-envtest-'));
  try {
    const archive = reusable ? kept : await fetchFile(url, join(scratch, archiveName));
    await installArchive(archive, { url, version, expected, kept: reusable ? undefined : kept, scratch }, spec, values, directory);
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

/** Checks the archive's SHA-512, keeps a copy for later runs, and moves its programs into `directory`. */
async function installArchive(
  archive: string,
  context: { url: string; version: string; expected: string; kept: string | undefined; scratch: string },
  spec: ApiServerSpec,
  values: { version: string; os: string; arch: string },
  directory: string,
): Promise<void> {
  const { url, version, expected, kept } = context;
  const actual = await digestOfFile(archive, 'sha512');
  if (actual !== expected) {
    throw new ChecksumMismatchError(
      `checksum mismatch for the API server ${version} (${url}): expected sha512 ${expected}, got ${actual}. ` +
        'The download is corrupt or was tampered with; nothing was installed. Retry, or check the pinned digest in tools.json.',
    );
  }
  if (kept) {
    await mkdir(join(kept, '..'), { recursive: true });
    await copyFile(archive, kept);
  }
  const extracted = await toolCache.extractTar(archive, join(context.scratch, 'extracted'));
  await mkdir(directory, { recursive: true });
  for (const program of API_SERVER_PROGRAMS) {
    const binary = join(extracted, expandTemplate(spec.release.binaries[program], values));
    await chmod(binary, 0o755);
    await rename(binary, join(directory, program));
  }
  await rm(extracted, { recursive: true, force: true });
}

async function expectedDigest(spec: ApiServerSpec, version: string, platform: Platform, archiveName: string): Promise<string> {
  const pinned = spec.release.sha512[version]?.[platformKey(platform)];
  if (pinned) {
    if (!SHA512_HEX.test(pinned.toLowerCase()))
      throw new Error(`tools.json: kube-apiserver sha512 for ${version} ${platformKey(platform)} is not a SHA-512 digest: "${pinned}"`);
    return pinned.toLowerCase();
  }
  const checksumUrl = spec.release.checksumUrl;
  const scratch = await mkdtemp(join(tmpdir(), 'helmfile-hydrate-envtest-'));
  const listed = await fetchFile(checksumUrl, join(scratch, 'envtest-releases.yaml'))
    .then((file) => readFile(file, 'utf8'))
    .finally(() => rm(scratch, { recursive: true, force: true }));
  const digest = findEnvtestDigest(listed, version, archiveName);
  if (!digest) {
    throw new Error(
      `${checksumUrl} lists no SHA-512 for ${archiveName}; refusing to run an unverified API server. Pin the digest in tools.json ` +
        `(kube-apiserver.release.sha512["${version}"]["${platformKey(platform)}"]).`,
    );
  }
  return digest;
}

/**
 * Downloads `url` to `destination`: with the runner's tool cache on a runner (its retries), with a
 * plain HTTP download elsewhere, which throws DownloadUnavailableError when the file cannot be
 * fetched (the caller may then build from source).
 */
async function fetchFile(url: string, destination: string): Promise<string> {
  if (process.env.RUNNER_TEMP) return toolCache.downloadTool(url, destination);
  await downloadToFile(url, destination);
  return destination;
}
