import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import type { ToolVersions } from '../model/tool-versions.js';

/**
 * The record of what `render` wrote, kept in the output directory: render deletes only files it
 * wrote, so a hand-written file (a kustomization.yaml, a README) is never lost. One JSON file,
 * sorted and one path per line, so that two pull requests touching different releases merge.
 */
export const OWNERSHIP_FILE = '.helmfile-hydrate.json';
/** 2: each file written is recorded with the digest of its bytes (1: paths only, still read). */
const OWNERSHIP_FORMAT = 2;
const READABLE_FORMATS: readonly unknown[] = [1, OWNERSHIP_FORMAT];

export interface OwnershipRecord {
  /** Per environment, every file written (`<environment>/<release>/<file>`, `/`-separated). */
  environments: Record<string, string[]>;
  /**
   * The digest of each file as written (`sha256:<hex>`, by path). A committed file whose bytes
   * differ was edited by hand: its release is rendered again and helm's bytes written back.
   */
  digests?: Record<string, string>;
  /** Per environment and release, the input fingerprint its files were rendered from (see fingerprint.ts). */
  fingerprints?: Record<string, Record<string, string>>;
  /** Per environment, the tools its files were rendered with (tells a toolchain change from drift). */
  tools?: Record<string, ToolVersions>;
}

/** The digest the record keeps of a file's bytes. */
export function fileDigest(content: string): string {
  return `sha256:${createHash('sha256').update(content).digest('hex')}`;
}

/** Whether a file holds the bytes the record says render wrote there (false when the record keeps no digest of it). */
export function isAsRecorded(record: OwnershipRecord | undefined, path: string, content: string): boolean {
  const digest = record?.digests?.[path];
  return digest !== undefined && digest === fileDigest(content);
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
  const record = parsed as { format?: unknown; environments?: unknown; tools?: unknown };
  if (!READABLE_FORMATS.includes(record?.format) || typeof record.environments !== 'object' || record.environments === null) {
    throw new Error(
      `${where} has format ${JSON.stringify(record?.format)}, expected ${OWNERSHIP_FORMAT}; it was written by another version of ` +
        `helmfile-hydrate: restore it from git or delete it`,
    );
  }
  const environments: Record<string, string[]> = {};
  const digests: Record<string, string> = {};
  for (const [environment, files] of Object.entries(record.environments as Record<string, unknown>)) {
    if (Array.isArray(files)) {
      environments[environment] = files.filter((file): file is string => typeof file === 'string');
      continue;
    }
    const entries = Object.entries(typeof files === 'object' && files !== null ? files : {}).filter(
      (entry): entry is [string, string] => typeof entry[1] === 'string',
    );
    environments[environment] = entries.map(([file]) => file);
    for (const [file, digest] of entries) digests[file] = digest;
  }
  const fingerprints: Record<string, Record<string, string>> = {};
  for (const [environment, releases] of Object.entries((record as { fingerprints?: unknown }).fingerprints ?? {})) {
    if (typeof releases !== 'object' || releases === null) continue;
    fingerprints[environment] = Object.fromEntries(
      Object.entries(releases).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
    );
  }
  return { environments, digests, fingerprints, tools: parseTools(record.tools) };
}

function parseTools(value: unknown): Record<string, ToolVersions> {
  const tools: Record<string, ToolVersions> = {};
  for (const [environment, versions] of Object.entries(typeof value === 'object' && value !== null ? value : {})) {
    const { helm, helmfile } = (versions ?? {}) as Record<string, unknown>;
    tools[environment] = {
      ...(typeof helm === 'string' ? { helm } : {}),
      ...(typeof helmfile === 'string' ? { helmfile } : {}),
    };
  }
  return tools;
}

/** The record as written: one file per line with its digest, keys sorted, so two pull requests touching different releases merge. */
export function formatOwnershipRecord(record: OwnershipRecord): string {
  const environments: Record<string, Record<string, string>> = {};
  for (const name of Object.keys(record.environments).sort())
    environments[name] = Object.fromEntries([...record.environments[name]!].sort().map((file) => [file, record.digests?.[file] ?? '']));
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
  const tools = Object.fromEntries(
    Object.keys(record.tools ?? {})
      .sort()
      .filter((name) => name in environments)
      .map((name) => [name, { helm: record.tools![name]!.helm, helmfile: record.tools![name]!.helmfile }]),
  );
  const written = {
    format: OWNERSHIP_FORMAT,
    environments,
    ...(Object.keys(fingerprints).length > 0 ? { fingerprints } : {}),
    ...(Object.keys(tools).length > 0 ? { tools } : {}),
  };
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
