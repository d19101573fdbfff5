import { readdir, readFile, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { KUBERNETES_YAML_OPTIONS, kubernetesValue, resolveKubernetesScalars } from '../../render/kubernetes-yaml.js';
import { SettingError } from '../../settings/setting-error.js';
import { isCustomResourceDefinition } from './crd-catalog.js';

export interface CrdFileObject {
  object: Record<string, unknown>;
  /** `path/to/file.yaml` (document 2) */
  origin: string;
}

const CRD_FILE_EXTENSIONS = new Set(['.yaml', '.yml', '.json']);

/** Reads the CustomResourceDefinitions in the given files and directories (recursively); other documents are ignored. */
export async function readCrdFiles(paths: readonly string[]): Promise<CrdFileObject[]> {
  const result: CrdFileObject[] = [];
  for (const path of paths) {
    for (const file of await crdFilesUnder(path)) {
      const text = await readFile(file, 'utf8');
      const documents = parseAllDocuments(text, { ...KUBERNETES_YAML_OPTIONS, uniqueKeys: false });
      for (const [index, document] of documents.entries()) {
        if (document.errors.length > 0) {
          throw new SettingError(
            'extraCrds',
            file,
            `document ${index + 1} is not valid YAML: ${document.errors[0]!.message}`,
            'fix the file or leave it out',
          );
        }
        const object = kubernetesValue(resolveKubernetesScalars(document));
        if (
          typeof object === 'object' &&
          object !== null &&
          !Array.isArray(object) &&
          isCustomResourceDefinition(object as Record<string, unknown>)
        ) {
          result.push({
            object: object as Record<string, unknown>,
            origin: documents.length > 1 ? `${file} (document ${index + 1})` : file,
          });
        }
      }
    }
  }
  return result;
}

async function crdFilesUnder(path: string): Promise<string[]> {
  let info;
  try {
    info = await stat(path);
  } catch {
    throw new SettingError('extraCrds', path, 'does not exist', 'give an existing CRD file or directory');
  }
  if (info.isFile()) return [path];
  const files: string[] = [];
  for (const entry of (await readdir(path, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const full = join(path, entry.name);
    if (entry.isDirectory()) files.push(...(await crdFilesUnder(full)));
    else if (entry.isFile() && CRD_FILE_EXTENSIONS.has(extname(entry.name).toLowerCase())) files.push(full);
  }
  return files;
}
