import { readFile, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { SettingError } from '../settings/setting-error.js';

const HELMFILE_NAMES = ['helmfile.yaml.gotmpl', 'helmfile.yaml'];

/** helmfile's own limit would be a cycle error; a deeper chain than this is a mistake, not a layout. */
const MAX_BASE_DEPTH = 16;

/** The helmfile file itself when given a directory (as helmfile's own `--file` lookup does). */
export async function locateHelmfile(path: string): Promise<string> {
  const info = await stat(path).catch(() => undefined);
  if (!info) throw new SettingError('helmfile', path, 'does not exist', 'give the path of helmfile.yaml(.gotmpl) or of its directory');
  if (info.isFile()) return path;
  for (const name of HELMFILE_NAMES) {
    const candidate = join(path, name);
    if (
      await stat(candidate)
        .then((s) => s.isFile())
        .catch(() => false)
    )
      return candidate;
  }
  throw new SettingError(
    'helmfile',
    path,
    `the directory holds no ${HELMFILE_NAMES.join(' or ')}`,
    'give the helmfile itself or its directory',
  );
}

/** What one helmfile (or base) file says about environments. */
export interface HelmfileEnvironmentParts {
  /** Keys of `environments:`, in the order written. */
  environments: string[];
  /** Entries of `bases:` (paths relative to the file), in the order written. */
  bases: string[];
}

/**
 * The environments and bases a helmfile's YAML parts declare. helmfile has no command that lists
 * environments, so the file is read: template actions are blanked out first (a line holding
 * only `{{ ... }}` is dropped, an inline one becomes a placeholder), so that the parts of a
 * `.gotmpl` file still parse as YAML.
 */
export function readEnvironmentParts(helmfileText: string): HelmfileEnvironmentParts {
  const environments: string[] = [];
  const bases: string[] = [];
  for (const part of withoutTemplateActions(helmfileText).split(/^---\s*$/m)) {
    let parsed: unknown;
    try {
      const documents = parseAllDocuments(part, { logLevel: 'silent' });
      if (!Array.isArray(documents) || documents.length === 0 || documents[0]!.errors.length > 0) continue;
      parsed = documents[0]!.toJS();
    } catch {
      continue;
    }
    const state = parsed as { environments?: unknown; bases?: unknown } | null;
    if (state?.environments && typeof state.environments === 'object' && !Array.isArray(state.environments)) {
      for (const name of Object.keys(state.environments)) if (!environments.includes(name)) environments.push(name);
    }
    if (Array.isArray(state?.bases)) {
      for (const base of state.bases) if (typeof base === 'string' && !base.includes(TEMPLATE_PLACEHOLDER)) bases.push(base);
    }
  }
  return { environments, bases };
}

const TEMPLATE_PLACEHOLDER = '__helmfile_hydrate_template__';

function withoutTemplateActions(text: string): string {
  return text
    .split('\n')
    .filter((line) => !/^\s*(\{\{.*?\}\}\s*)+$/.test(line))
    .map((line) => line.replace(/\{\{.*?\}\}/g, TEMPLATE_PLACEHOLDER))
    .join('\n');
}

/** The environments of one file's text, without following bases (`default` only when alone). */
export function declaredEnvironments(helmfileText: string): string[] {
  return withDefault(readEnvironmentParts(helmfileText).environments);
}

function withDefault(names: readonly string[]): string[] {
  const named = names.filter((name) => name !== 'default');
  return named.length > 0 ? named : ['default'];
}

/**
 * The environments a helmfile declares, as helmfile sees them: its own `environments:` and those
 * of every file under `bases:` (followed recursively, relative to the file that names them).
 */
export async function discoverEnvironments(helmfilePath: string): Promise<string[]> {
  const names: string[] = [];
  const visit = async (path: string, depth: number, chain: readonly string[]): Promise<void> => {
    const absolute = resolve(path);
    if (chain.includes(absolute))
      throw new Error(`helmfile bases form a cycle: ${[...chain, absolute].join(' -> ')}; remove one of the bases entries`);
    if (depth > MAX_BASE_DEPTH) throw new Error(`helmfile bases nest deeper than ${MAX_BASE_DEPTH} levels at ${path}`);
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      if (depth === 0) throw error;
      throw new Error(`base ${path} named in ${chain[chain.length - 1]} cannot be read (${(error as Error).message}); fix the bases entry`);
    }
    const parts = readEnvironmentParts(text);
    for (const base of parts.bases) await visit(join(dirname(path), base), depth + 1, [...chain, absolute]);
    for (const name of parts.environments) if (!names.includes(name)) names.push(name);
  };
  await visit(helmfilePath, 0, []);
  return withDefault(names);
}
