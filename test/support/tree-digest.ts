import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';

/** Every file under `root` (relative, `/`-separated) with the SHA-256 of its bytes: two trees are equal byte for byte when these are. */
export async function treeDigest(root: string): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  for (const entry of await readdir(root, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    files[relative(root, path).split(sep).join('/')] = createHash('sha256')
      .update(await readFile(path))
      .digest('hex');
  }
  return files;
}
