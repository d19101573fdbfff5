import { readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';

/**
 * The record of what `render` wrote, kept in the output directory: render deletes only files it
 * wrote, so a hand-written file (a kustomization.yaml, a README) is never lost. One JSON file,
 * sorted and one path per line, so that two pull requests touching different releases merge.
 */
export const OWNERSHIP_FILE = '.helmfile-hydrate.json';
const OWNERSHIP_FORMAT = 1;

export interface OwnershipRecord {
  /** Per environment, every file written (`<environment>/<release>/<file>`, `/`-separated). */
  environments: Record<string, string[]>;
  /** Per environment and release, the input fingerprint its files were rendered from (see fingerprint.ts). */
  fingerprints?: Record<string, Record<string, string>>;
}

export function parseOwnershipRecord(text: string, where: string): OwnershipRecord {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new Error(
      `${where} is not valid JSON (${(error as Error).message}); restore it from git or delete it (render then treats files named ` +
        `like rendered resources as its own)`,
    );
  }
  const record = parsed as { format?: unknown; environments?: unknown };
  if (record?.format !== OWNERSHIP_FORMAT || typeof record.environments !== 'object' || record.environments === null) {
    throw new Error(
      `${where} has format ${JSON.stringify(record?.format)}, expected ${OWNERSHIP_FORMAT}; it was written by another version of ` +
        `helmfile-hydrate: restore it from git or delete it`,
    );
  }
  const environments: Record<string, string[]> = {};
  for (const [environment, files] of Object.entries(record.environments as Record<string, unknown>)) {
    environments[environment] = Array.isArray(files) ? files.filter((file): file is string => typeof file === 'string') : [];
  }
  const fingerprints: Record<string, Record<string, string>> = {};
  for (const [environment, releases] of Object.entries((record as { fingerprints?: unknown }).fingerprints ?? {})) {
    if (typeof releases !== 'object' || releases === null) continue;
    fingerprints[environment] = Object.fromEntries(
      Object.entries(releases).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
    );
  }
  return { environments, fingerprints };
}

export function formatOwnershipRecord(record: OwnershipRecord): string {
  const environments: Record<string, string[]> = {};
  for (const name of Object.keys(record.environments).sort()) environments[name] = [...record.environments[name]!].sort();
  const fingerprints: Record<string, Record<string, string>> = {};
  for (const name of Object.keys(record.fingerprints ?? {}).sort()) {
    const releases = record.fingerprints![name]!;
    if (name in environments && Object.keys(releases).length > 0)
      fingerprints[name] = Object.fromEntries(
        Object.keys(releases)
          .sort()
          .map((release) => [release, releases[release]!]),
      );
  }
  const written = { format: OWNERSHIP_FORMAT, environments, ...(Object.keys(fingerprints).length > 0 ? { fingerprints } : {}) };
  return `${JSON.stringify(written, null, 2)}\n`;
}

/** The record in `outputDir`, or undefined when there is none (a tree written before records existed). */
export async function readOwnershipRecord(outputDir: string): Promise<OwnershipRecord | undefined> {
  let text: string;
  try {
    text = await readFile(join(outputDir, OWNERSHIP_FILE), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  return parseOwnershipRecord(text, join(outputDir, OWNERSHIP_FILE));
}

/**
 * `<kind>[.<group>]_[<namespace>_]<name>.yaml` as `resourceFileName` writes it: without a record,
 * the files render can have written are those named so inside a release directory.
 */
const RESOURCE_FILE_NAME = /^[a-z][a-z0-9]*(\.[a-z0-9.-]+)?_[A-Za-z0-9._%~-]+\.yaml$/;

export function looksRendered(fileName: string): boolean {
  return RESOURCE_FILE_NAME.test(fileName);
}

/** Every file under a directory, relative and `/`-separated (symbolic links included as files). */
export async function filesUnder(directory: string): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(directory, { recursive: true, withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  return entries
    .filter((entry) => !entry.isDirectory())
    .map((entry) => relative(directory, join(entry.parentPath, entry.name)).split(sep).join('/'))
    .sort();
}
