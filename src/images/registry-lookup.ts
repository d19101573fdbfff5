import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { mapLimited } from '../concurrency/map-limited.js';
import { defaultCacheDirectory } from '../tools/resolve.js';
import { craneBlob, craneDigest, craneManifest, type CraneOptions, type CraneResult } from '../tools/crane.js';
import type { ImageLookupResult } from './image-check.js';
import { configPlatforms, manifestPlatforms, type ImagePlatform } from './image-platforms.js';
import { canonicalImage, parseImageReference, registryTransport, type ImageReference } from './image-reference.js';

/**
 * Lookups in flight at once: a bump changes a few images, the rebuild drill of a platform a few
 * dozen; more parallel requests than this only hit registries' rate limits sooner.
 */
export const IMAGE_LOOKUP_CONCURRENCY = 8;

export interface RegistryLookupOptions extends CraneOptions {
  /**
   * Platforms of manifests and indexes by digest (`<dir>/sha256/<hex>.json`): content-addressed, so
   * true forever. A tag is never cached: it is resolved to its digest on every run.
   */
  cacheDirectory?: string;
  log?: (message: string) => void;
}

/** Where platforms are kept by digest on this machine: `<tool cache>/image-platforms`. */
export function defaultImagePlatformsDirectory(): string {
  return join(defaultCacheDirectory(), 'image-platforms');
}

/** What a registry that cannot be asked answers for every image of it this run: one reason, no retries. */
type RegistryVerdict = { registry: string; reason: string };

/** Failures that hold for every image of the registry this run; a 401 or an odd answer concerns one repository. */
const REGISTRY_WIDE_FAILURES = new Set(['unreachable', 'rate-limited']);

function notCheckedReason(result: Extract<CraneResult, { ok: false }>): string {
  const what = {
    'rate-limited': 'rate limited (429)',
    denied: 'access denied (set registry credentials for a private registry)',
    unreachable: 'not reachable',
    other: 'unexpected answer',
    missing: 'missing',
  }[result.kind];
  return `${what}: ${result.message}`;
}

/** The reference to ask the registry for, or why the image is not asked at all (pure). */
function referenceToAsk(image: string): ImageReference | Extract<ImageLookupResult, { status: 'not-checked' }> {
  const reference = parseImageReference(image);
  if (!reference) return { status: 'not-checked', registry: image, reason: 'not an image reference the runtime reads' };
  if (registryTransport(reference.registry) === 'private-address')
    return {
      status: 'not-checked',
      registry: reference.registry,
      reason:
        'a registry on a private address, which crane would also speak plain HTTP to; only loopback registries are spoken to over HTTP',
    };
  return reference;
}

/**
 * Resolves each distinct image once: its digest (a HEAD request), then, unless the cache knows the
 * digest, its manifest or index and, for a single image, its config. A registry that does not
 * answer (or answers 429) is not asked again this run: its images are "not checked" with one reason.
 */
export async function lookUpImages(images: readonly string[], options: RegistryLookupOptions): Promise<Map<string, ImageLookupResult>> {
  const results = new Map<string, ImageLookupResult>();
  /** The images written differently that name one image (`nginx`, `docker.io/library/nginx:latest`), by canonical name. */
  const distinct = new Map<string, { reference: ImageReference; written: string[] }>();
  for (const image of new Set(images)) {
    const reference = referenceToAsk(image);
    if ('status' in reference) {
      results.set(image, reference);
      continue;
    }
    const canonical = canonicalImage(reference);
    const entry = distinct.get(canonical) ?? { reference, written: [] };
    entry.written.push(image);
    distinct.set(canonical, entry);
  }
  const verdicts = new Map<string, RegistryVerdict>();
  await mapLimited([...distinct], IMAGE_LOOKUP_CONCURRENCY, async ([canonical, { reference, written }]) => {
    const known = verdicts.get(reference.registry);
    const looked = known ? { result: { status: 'not-checked' as const, ...known } } : await lookUpImage(canonical, reference, options);
    if (looked.registryWide && looked.result.status === 'not-checked')
      verdicts.set(reference.registry, { registry: looked.result.registry, reason: looked.result.reason });
    for (const image of written) results.set(image, looked.result);
  });
  // Lookups already under way when their registry failed tell the same story: one reason per registry.
  for (const [image, result] of results) {
    const verdict = result.status === 'not-checked' ? verdicts.get(result.registry) : undefined;
    if (verdict) results.set(image, { status: 'not-checked', ...verdict });
  }
  return results;
}

/** One image's lookup; `registryWide` when its failure says the registry cannot be asked at all this run. */
async function lookUpImage(
  canonical: string,
  reference: ImageReference,
  options: RegistryLookupOptions,
): Promise<{ result: ImageLookupResult; registryWide?: boolean }> {
  const crane = { ...options, plainHttp: registryTransport(reference.registry) === 'plain-http' };
  const failed = (result: Extract<CraneResult, { ok: false }>) =>
    result.kind === 'missing'
      ? { result: { status: 'missing' as const, reason: result.message } }
      : {
          result: { status: 'not-checked' as const, registry: reference.registry, reason: notCheckedReason(result) },
          registryWide: REGISTRY_WIDE_FAILURES.has(result.kind),
        };
  let digest = reference.digest;
  if (!digest) {
    const resolved = await craneDigest(canonical, crane);
    if (!resolved.ok) return failed(resolved);
    digest = resolved.stdout.trim();
  }
  const cached = await readCachedPlatforms(options.cacheDirectory, digest);
  if (cached) return { result: { status: 'found', digest, ...cached } };
  const repository = `${reference.registry}/${reference.repository}`;
  const manifest = await craneManifest(`${repository}@${digest}`, crane);
  if (!manifest.ok) return failed(manifest);
  const parsed = manifestPlatforms(manifest.stdout);
  let found: { kind: 'index' | 'image'; platforms: ImagePlatform[] };
  if (parsed.kind === 'index') found = { kind: 'index', platforms: parsed.platforms };
  else if (parsed.kind === 'image') {
    const config = await craneBlob(`${repository}@${parsed.configDigest}`, crane);
    if (!config.ok) return failed(config);
    found = { kind: 'image', platforms: configPlatforms(config.stdout) };
  } else
    return {
      result: {
        status: 'not-checked',
        registry: reference.registry,
        reason: `the manifest of ${canonical} is neither an image nor an index`,
      },
    };
  await writeCachedPlatforms(options.cacheDirectory, digest, found, options.log);
  return { result: { status: 'found', digest, ...found } };
}

function cacheFile(directory: string, digest: string): string | undefined {
  const match = /^sha256:([0-9a-f]{64})$/.exec(digest);
  return match ? join(directory, 'sha256', `${match[1]}.json`) : undefined;
}

async function readCachedPlatforms(
  directory: string | undefined,
  digest: string,
): Promise<{ kind: 'index' | 'image'; platforms: ImagePlatform[] } | undefined> {
  const file = directory && cacheFile(directory, digest);
  if (!file) return undefined;
  try {
    const cached = JSON.parse(await readFile(file, 'utf8')) as { kind?: unknown; platforms?: unknown };
    if ((cached.kind === 'index' || cached.kind === 'image') && Array.isArray(cached.platforms))
      return { kind: cached.kind, platforms: cached.platforms as ImagePlatform[] };
  } catch {
    // Not cached (or unreadable): the registry is asked.
  }
  return undefined;
}

async function writeCachedPlatforms(
  directory: string | undefined,
  digest: string,
  found: { kind: 'index' | 'image'; platforms: ImagePlatform[] },
  log?: (message: string) => void,
): Promise<void> {
  const file = directory && cacheFile(directory, digest);
  if (!file) return;
  try {
    await mkdir(join(directory, 'sha256'), { recursive: true });
    // Written beside and renamed: a concurrent reader never sees half a file.
    const partial = `${file}.${process.pid}.partial`;
    await writeFile(partial, `${JSON.stringify(found)}\n`);
    await rename(partial, file);
  } catch (error) {
    log?.(`could not cache the platforms of ${digest}: ${(error as Error).message}`);
  }
}
