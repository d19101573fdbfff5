import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SettingError } from '../../settings/setting-error.js';
import { isOpenApiDocument, type OpenApiDocument } from './openapi-document.js';

/** How long one schema document may take to download before the run fails (the largest upstream document is ~2 MB). */
export const SCHEMA_DOWNLOAD_TIMEOUT_MS = 60_000;
/** Transient failures (connection errors, HTTP 5xx, 429) are tried this many times in all. */
export const SCHEMA_DOWNLOAD_ATTEMPTS = 3;

/** A schema document could not be obtained from the schema location; validation cannot go on without it. */
export class SchemaDownloadError extends SettingError {
  override name = 'SchemaDownloadError';

  constructor(problem: string, fix: string) {
    super('kubernetesSchemas', undefined, problem, fix);
  }
}

export type FetchFunction = (url: string, init: { signal: AbortSignal }) => Promise<Response>;

export type DocumentLookup = { served: true; document: OpenApiDocument } | { served: false };

/** Marker written beside a document the target version does not serve, so warm runs need no network. */
const NOT_SERVED_SUFFIX = '.not-served';

/**
 * Reads `name` from the cache directory, or downloads it from `location` and caches it.
 * The cache is written atomically (temporary file + rename in the same directory): a failed or
 * interrupted download leaves nothing behind that a later run could mistake for the document.
 */
export async function cachedDocument(
  location: string,
  name: string,
  cacheDirectory: string,
  fetchFunction: FetchFunction,
  describe: string,
): Promise<DocumentLookup> {
  const cached = await readCached(cacheDirectory, name);
  if (cached) return cached;
  const lookup = await download(location, fetchFunction, describe);
  await mkdir(cacheDirectory, { recursive: true });
  if (lookup.served) await writeAtomically(join(cacheDirectory, name), lookup.text);
  else await writeAtomically(join(cacheDirectory, name + NOT_SERVED_SUFFIX), `${location}\n`);
  return lookup.served ? { served: true, document: lookup.document } : { served: false };
}

/** Reads `name` from a local directory holding the upstream layout (air-gapped use); nothing is cached. */
export async function localDocument(directory: string, name: string, describe: string): Promise<DocumentLookup> {
  let text: string;
  try {
    text = await readFile(join(directory, name), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { served: false };
    throw new SchemaDownloadError(
      `could not read ${describe} from ${join(directory, name)}: ${(error as Error).message}`,
      'make the file readable, or point the location at another directory',
    );
  }
  return { served: true, document: parseDocumentText(text, join(directory, name), describe) };
}

async function readCached(cacheDirectory: string, name: string): Promise<DocumentLookup | undefined> {
  try {
    const text = await readFile(join(cacheDirectory, name), 'utf8');
    const parsed = safeParse(text);
    if (isOpenApiDocument(parsed)) return { served: true, document: parsed };
    // A corrupt cache entry (written by something else) is replaced by a fresh download.
    return undefined;
  } catch {
    try {
      await readFile(join(cacheDirectory, name + NOT_SERVED_SUFFIX));
      return { served: false };
    } catch {
      return undefined;
    }
  }
}

async function download(
  url: string,
  fetchFunction: FetchFunction,
  describe: string,
): Promise<{ served: true; document: OpenApiDocument; text: string } | { served: false }> {
  const fetched = await fetchWithRetries(url, fetchFunction);
  if (fetched.status === 'failed') {
    throw new SchemaDownloadError(
      `could not download ${describe} from ${url}: ${fetched.problem}. Nothing was cached`,
      'check the network and the location, or point it at a mirror or a local directory holding api/openapi-spec/v3/',
    );
  }
  if (fetched.status === 'not-found') return { served: false };
  const text = fetched.body.toString('utf8');
  return { served: true, document: parseDocumentText(text, url, describe), text };
}

/** What one download came to: the whole body, a 404, or the last problem after every attempt. */
export type FetchOutcome = { status: 'ok'; body: Buffer } | { status: 'not-found' } | { status: 'failed'; problem: string };

/**
 * GETs `url`, trying again on transient failures (connection errors, HTTP 5xx and 429, a body
 * broken off midway) up to SCHEMA_DOWNLOAD_ATTEMPTS times in all, each within SCHEMA_DOWNLOAD_TIMEOUT_MS.
 */
export async function fetchWithRetries(url: string, fetchFunction: FetchFunction): Promise<FetchOutcome> {
  let lastProblem = '';
  for (let attempt = 1; attempt <= SCHEMA_DOWNLOAD_ATTEMPTS; attempt++) {
    let response: Response;
    try {
      response = await fetchFunction(url, { signal: AbortSignal.timeout(SCHEMA_DOWNLOAD_TIMEOUT_MS) });
    } catch (error) {
      lastProblem = describeNetworkError(error);
      continue;
    }
    if (response.status === 404) {
      await response.body?.cancel();
      return { status: 'not-found' };
    }
    if (!response.ok) {
      await response.body?.cancel();
      lastProblem = `HTTP ${response.status} ${response.statusText}`.trim();
      if (response.status >= 500 || response.status === 429) continue;
      break;
    }
    try {
      return { status: 'ok', body: Buffer.from(await response.arrayBuffer()) };
    } catch (error) {
      lastProblem = `the download broke off (${describeNetworkError(error)})`;
    }
  }
  return { status: 'failed', problem: lastProblem };
}

function parseDocumentText(text: string, where: string, describe: string): OpenApiDocument {
  const parsed = safeParse(text);
  if (!isOpenApiDocument(parsed)) {
    throw new SchemaDownloadError(
      `${where} is not ${describe}: expected an OpenAPI v3 JSON document with components.schemas. Nothing was cached`,
      'check the location',
    );
  }
  return parsed;
}

/**
 * Writes `path` through a temporary file in the same directory and a rename, so a reader sees the
 * whole content or nothing: an interrupted write never leaves a file that looks complete.
 */
export async function writeAtomically(path: string, content: string | Buffer): Promise<void> {
  const temporary = `${path}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`;
  try {
    await writeFile(temporary, content);
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw new Error(`could not write the schema cache file ${path}: ${(error as Error).message}; check the cache directory's permissions`);
  }
}

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function describeNetworkError(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  if ((error as Error).name === 'TimeoutError') return `no answer within ${SCHEMA_DOWNLOAD_TIMEOUT_MS / 1000}s`;
  return cause?.code ?? cause?.message ?? (error as Error).message;
}
