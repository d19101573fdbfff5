import { findChecksum, isSha256, sha256OfFile } from './checksum.js';
import { expandTemplate, releaseTemplateValues, type ToolSpec } from './manifest.js';
import { platformKey, type Platform } from './platform.js';

/** The archive's bytes are not the ones expected: corrupt or tampered with. Never a reason to try another source. */
export class ChecksumMismatchError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ChecksumMismatchError';
  }
}

/**
 * The SHA-256 a release archive must have: the digest pinned in the spec for this platform (only
 * the tools.json version carries any, see `specAtVersion`), else the one the project's checksum
 * file lists for `archiveName`, read with `readChecksumFile`.
 */
export async function expectedReleaseDigest(
  spec: ToolSpec,
  platform: Platform,
  archiveName: string,
  readChecksumFile: (url: string) => Promise<string>,
): Promise<string> {
  const pinned = spec.release.sha256[platformKey(platform)];
  if (pinned) {
    if (!isSha256(pinned.toLowerCase()))
      throw new Error(`tools.json: ${spec.name} sha256 for ${platformKey(platform)} is not a SHA-256 digest: "${pinned}"`);
    return pinned.toLowerCase();
  }
  const checksumUrl = expandTemplate(spec.release.checksumUrl, releaseTemplateValues(spec, platform));
  const digest = findChecksum(await readChecksumFile(checksumUrl), archiveName);
  if (!digest) {
    throw new Error(
      `${checksumUrl} lists no SHA-256 for ${archiveName}; refusing to run an unverified ${spec.name}. Pin the digest in tools.json ` +
        `(release.sha256["${platformKey(platform)}"]).`,
    );
  }
  return digest;
}

/** Throws a ChecksumMismatchError naming both digests unless the archive at `path` has the `expected` SHA-256. */
export async function verifyReleaseArchive(spec: ToolSpec, url: string, path: string, expected: string): Promise<void> {
  const actual = await sha256OfFile(path);
  if (actual !== expected) {
    throw new ChecksumMismatchError(
      `checksum mismatch for ${spec.name} ${spec.version} (${url}): expected sha256 ${expected}, got ${actual}. ` +
        'The download is corrupt or was tampered with; nothing was installed. Retry, or check the pinned digest in tools.json.',
    );
  }
}
