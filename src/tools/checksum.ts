import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { basename } from 'node:path';

const SHA256_HEX = /^[0-9a-f]{64}$/;

export function sha256OfFile(path: string): Promise<string> {
  return digestOfFile(path, 'sha256');
}

/** The hex digest of a file, read as a stream (release archives are tens of megabytes). */
export async function digestOfFile(path: string, algorithm: 'sha256' | 'sha512'): Promise<string> {
  const hash = createHash(algorithm);
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/**
 * Finds the digest for `fileName` in a checksum file as projects publish them:
 * either `sha256sum` output (`<hex>  <name>` per line) or a file holding one bare digest.
 */
export function findChecksum(checksumFile: string, fileName: string): string | undefined {
  const lines = checksumFile
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean);
  for (const line of lines) {
    const [digest, name] = line.split(/\s+\*?/, 2);
    if (digest && name && basename(name) === fileName && SHA256_HEX.test(digest.toLowerCase())) return digest.toLowerCase();
  }
  if (lines.length === 1) {
    const [digest, name] = lines[0]!.split(/\s+/, 2);
    if (digest && SHA256_HEX.test(digest.toLowerCase()) && (!name || basename(name) === fileName)) return digest.toLowerCase();
  }
  return undefined;
}

export function isSha256(value: string): boolean {
  return SHA256_HEX.test(value);
}
