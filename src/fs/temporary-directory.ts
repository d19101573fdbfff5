import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Runs `task` with a new empty directory (`<parent>/<prefix>XXXXXX`, default parent the system's
 * temporary directory) and removes it afterwards, whether the task succeeded or threw.
 */
export async function withTemporaryDirectory<T>(
  prefix: string,
  task: (directory: string) => Promise<T>,
  parent: string = tmpdir(),
): Promise<T> {
  const directory = await mkdtemp(join(parent, prefix));
  try {
    return await task(directory);
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}
