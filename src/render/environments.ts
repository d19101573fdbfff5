import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';

const HELMFILE_NAMES = ['helmfile.yaml.gotmpl', 'helmfile.yaml'];

/** The helmfile file itself when given a directory (as helmfile's own `--file` lookup does). */
export async function locateHelmfile(path: string): Promise<string> {
  const info = await stat(path).catch(() => undefined);
  if (!info) throw new Error(`helmfile "${path}" does not exist; pass --helmfile with the path of helmfile.yaml(.gotmpl) or its directory`);
  if (info.isFile()) return path;
  for (const name of HELMFILE_NAMES) {
    const candidate = join(path, name);
    if (await stat(candidate).then((s) => s.isFile()).catch(() => false)) return candidate;
  }
  throw new Error(`directory "${path}" holds no ${HELMFILE_NAMES.join(' or ')}`);
}

/**
 * The environments a helmfile declares under `environments:`, in the order written. helmfile has
 * no command that lists them, so the YAML parts of the file are read; parts that only parse
 * after templating are skipped. `default` counts only when it is the sole environment.
 */
export function declaredEnvironments(helmfileText: string): string[] {
  const names: string[] = [];
  for (const part of helmfileText.split(/^---\s*$/m)) {
    let parsed: unknown;
    try {
      const documents = parseAllDocuments(part, { logLevel: 'silent' });
      if (!Array.isArray(documents) || documents.length === 0 || documents[0]!.errors.length > 0) continue;
      parsed = documents[0]!.toJS();
    } catch {
      continue;
    }
    const environments = (parsed as { environments?: unknown } | null)?.environments;
    if (environments && typeof environments === 'object' && !Array.isArray(environments)) {
      for (const name of Object.keys(environments)) if (!names.includes(name)) names.push(name);
    }
  }
  const named = names.filter((name) => name !== 'default');
  return named.length > 0 ? named : ['default'];
}

export async function discoverEnvironments(helmfilePath: string): Promise<string[]> {
  return declaredEnvironments(await readFile(helmfilePath, 'utf8'));
}
