import { realpath } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, parse, relative, resolve } from 'node:path';

export interface OutputDirectoryContext {
  /** The git repository's top directory, when the command runs inside one. */
  repositoryRoot?: string;
  /** The helmfile that is rendered. */
  helmfile: string;
}

/**
 * Refuses an output directory render must not own: `/`, the repository root, a directory that
 * holds the helmfile, or a path inside the repository that a symbolic link leads outside of.
 */
export async function assertOutputDirectory(outputDir: string, context: OutputDirectoryContext): Promise<void> {
  const lexical = resolve(outputDir);
  const real = await realPathOfPossiblyMissing(lexical);
  const refuse = (why: string) => {
    throw new Error(
      `refusing output directory "${outputDir}": ${why}; render replaces what it wrote there, so choose a directory of its own such ` +
        `as manifests/`,
    );
  };
  if (parse(real).root === real) refuse('it is the file system root');
  const helmfileDirectory = await realPathOfPossiblyMissing(dirname(resolve(context.helmfile)));
  if (isSameOrInside(helmfileDirectory, real)) refuse(`it holds the helmfile ${context.helmfile}`);
  if (context.repositoryRoot) {
    const root = await realPathOfPossiblyMissing(resolve(context.repositoryRoot));
    if (real === root) refuse('it is the repository root');
    const lexicalRoot = resolve(context.repositoryRoot);
    if (isSameOrInside(lexical, lexicalRoot) && !isSameOrInside(real, root))
      refuse(`a symbolic link leads it outside the repository, to ${real}`);
  }
}

/** Whether `path` is `directory` or inside it. */
function isSameOrInside(path: string, directory: string): boolean {
  const inside = relative(directory, path);
  return inside === '' || (!inside.startsWith('..') && !isAbsolute(inside));
}

/** realpath of the deepest existing ancestor, with the rest appended (the output may not exist yet). */
async function realPathOfPossiblyMissing(path: string): Promise<string> {
  const missing: string[] = [];
  let current = path;
  for (;;) {
    try {
      return join(await realpath(current), ...missing.reverse());
    } catch {
      const parent = dirname(current);
      if (parent === current) return path;
      missing.push(basename(current));
      current = parent;
    }
  }
}
