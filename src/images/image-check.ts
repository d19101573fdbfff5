import { containerImageLocations } from '../diff/images.js';
import type { EnvironmentManifests } from '../model/manifests.js';
import { resourceId, type ResourceKey } from '../model/resource-key.js';
import type { CheckCoverage } from '../report/check-coverage.js';
import type { Risk } from '../risk/types.js';
import { formatPlatform, missingArchitectures, type ImagePlatform } from './image-platforms.js';

/** The check's name in logs, failure reports and the JSON report's `checks`. */
export const IMAGE_CHECK_NAME = 'images';

/** One container of one rendered resource and the image it runs. */
export interface ImageUse {
  environment: string;
  release: string;
  resource: ResourceKey;
  /** The manifest file, `<environment>/<release>/<file>`. */
  path: string;
  container: string;
  /** JSON path of the image in the object. */
  jsonPath: string;
  /** The resource's apiVersion. */
  apiVersion: string;
  image: string;
  /** The image the base ran in this container; absent for a new container. */
  previous?: string;
}

/** What the registry said of one image. */
export type ImageLookupResult =
  | { status: 'found'; digest: string; platforms: ImagePlatform[]; kind: 'index' | 'image' }
  | { status: 'missing'; reason: string }
  | { status: 'not-checked'; registry: string; reason: string };

/** The architectures of an environment's nodes (`amd64`, `arm64`, `arm/v7`). */
export type EnvironmentArchitectures = (environment: string) => readonly string[];

/** An image the check resolved: shown beside the image change in the report. */
export interface ResolvedImage {
  image: string;
  digest: string;
  /** `linux/amd64`, `linux/arm64/v8`. */
  platforms: string[];
}

function usesOf(environment: EnvironmentManifests): ImageUse[] {
  return environment.releases.flatMap((release) =>
    release.resources
      .filter((resource) => resource.key.kind !== 'CustomResourceDefinition')
      .flatMap((resource) =>
        containerImageLocations(resource.object).map((found) => ({
          environment: environment.environment,
          release: resource.release,
          resource: resource.key,
          path: resource.path,
          container: found.container,
          jsonPath: found.path,
          apiVersion: resource.apiVersion,
          image: found.image,
        })),
      ),
  );
}

/** Every container image of the environments (the rebuild drill checks them all) (pure). */
export function imagesOfEnvironments(environments: readonly EnvironmentManifests[]): ImageUse[] {
  return environments.flatMap(usesOf);
}

/**
 * The images the head deploys that the base did not run in the same container of the same
 * resource: a changed tag, a new sidecar, a new workload. Unchanged images are not looked up (pure).
 */
export function imagesChangedByHead(sides: { base: readonly EnvironmentManifests[]; head: readonly EnvironmentManifests[] }): ImageUse[] {
  return sides.head.flatMap((environment) => {
    const base = sides.base.find((candidate) => candidate.environment === environment.environment);
    const before = new Map((base ? usesOf(base) : []).map((use) => [`${resourceId(use.resource)}\n${use.container}`, use.image]));
    return usesOf(environment).flatMap((use) => {
      const previous = before.get(`${resourceId(use.resource)}\n${use.container}`);
      if (previous === use.image) return [];
      return [previous === undefined ? use : { ...use, previous }];
    });
  });
}

/** A blocking problem of one image use: the rule, what happens and what to do. */
export interface ImageProblem {
  use: ImageUse;
  rule: 'image-missing' | 'image-platform-missing';
  message: string;
  fix: string;
}

/** `sha256:0123456789ab…` */
export function shortDigest(digest: string): string {
  return digest.replace(/^(sha256:[0-9a-f]{12})[0-9a-f]+$/, '$1…');
}

/**
 * What is wrong with the images (pure): `image-missing` when the registry has no such tag or
 * repository, `image-platform-missing` when the image has no `linux/<arch>` variant for an
 * architecture of the environment's nodes. Images not checked have none.
 */
export function imageProblems(
  uses: readonly ImageUse[],
  results: ReadonlyMap<string, ImageLookupResult>,
  architectures: EnvironmentArchitectures,
): ImageProblem[] {
  return uses.flatMap((use): ImageProblem[] => {
    const result = results.get(use.image);
    if (result?.status === 'missing')
      return [
        {
          use,
          rule: 'image-missing',
          message: `the image ${use.image} does not exist in its registry (${result.reason}): the pods cannot pull it and stay in ImagePullBackOff`,
          fix: 'publish the image first, or correct the reference (the chart version, a values override of image.tag or image.repository)',
        },
      ];
    if (result?.status !== 'found') return [];
    const missing = missingArchitectures(result.platforms, architectures(use.environment));
    if (missing.length === 0) return [];
    const has = result.platforms.map(formatPlatform).join(', ') || 'no platform';
    const failure =
      result.kind === 'index'
        ? 'the pull fails there (no matching manifest for the platform)'
        : 'the pull succeeds and the container fails there with "exec format error"';
    return [
      {
        use,
        rule: 'image-platform-missing',
        message:
          `the image ${use.image} (${shortDigest(result.digest)}) has no ${missing.map((arch) => `linux/${arch}`).join(', ')} variant ` +
          `(it has ${has}), and the nodes of ${use.environment} run ${missing.join(', ')}: ${failure}`,
        fix:
          'use a tag published for every architecture of the nodes (a multi-arch index), or keep the workload on nodes it runs on ' +
          '(a nodeSelector on kubernetes.io/arch)',
      },
    ];
  });
}

/** The problems as high risks of the change (block like every high risk) (pure). */
export function imageRisks(
  uses: readonly ImageUse[],
  results: ReadonlyMap<string, ImageLookupResult>,
  architectures: EnvironmentArchitectures,
): Risk[] {
  return imageProblems(uses, results, architectures).map(({ use, rule, message, fix }) => ({
    rule,
    severity: 'high',
    environment: use.environment,
    release: use.release,
    resource: use.resource,
    path: use.path,
    field: `container ${use.container}`,
    change: { from: use.previous ?? '(none)', to: use.image },
    message,
    fix,
  }));
}

/** What the report shows beside each image change: digest and platforms of every image found (pure). */
export function resolvedImages(results: ReadonlyMap<string, ImageLookupResult>): ResolvedImage[] {
  return [...results]
    .flatMap(([image, result]) =>
      result.status === 'found' ? [{ image, digest: result.digest, platforms: result.platforms.map(formatPlatform) }] : [],
    )
    .sort((a, b) => (a.image < b.image ? -1 : a.image > b.image ? 1 : 0));
}

/**
 * What the report says of the check (pure): how many images were looked up, and each registry
 * that could not be asked, once, with the reason and its images.
 */
export function imageCheckCoverage(
  uses: readonly ImageUse[],
  results: ReadonlyMap<string, ImageLookupResult>,
  scope: 'change' | 'environments' = 'change',
): CheckCoverage {
  const images = [...new Set(uses.map((use) => use.image))];
  const notChecked = new Map<string, { reason: string; images: string[] }>();
  for (const image of images) {
    const result = results.get(image);
    if (result?.status !== 'not-checked') continue;
    const key = `${result.registry}\n${result.reason}`;
    const entry = notChecked.get(key) ?? { reason: result.reason, images: [] };
    entry.images.push(image);
    notChecked.set(key, entry);
  }
  const count = (status: ImageLookupResult['status']) => images.filter((image) => results.get(image)?.status === status).length;
  const checked = count('found') + count('missing');
  const deploys = scope === 'change' ? 'the change deploys' : 'the environments run';
  const summary = images.length
    ? `${checked} of ${images.length} image${images.length === 1 ? '' : 's'} ${deploys} resolved against ` +
      `${checked === 1 ? 'its registry' : 'their registries'}${count('missing') ? ` (${count('missing')} missing)` : ''}`
    : `no image to check: ${deploys} no new image`;
  const notExercised = [...notChecked]
    .map(([key, entry]) => ({
      path: key.split('\n')[0]!,
      reason: `${entry.reason}; not checked: ${entry.images.sort().join(', ')}`,
    }))
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { check: IMAGE_CHECK_NAME, summary, notExercised, notExercisedLabel: 'not checked' };
}

/** `sha256:0123456789ab…, amd64, arm64`: the digest and architectures (linux's by name alone) the report shows beside an image (pure). */
export function describeResolvedImage(resolved: ResolvedImage): string {
  const platforms = resolved.platforms.map((platform) => platform.replace(/^linux\//, ''));
  return [shortDigest(resolved.digest), ...(platforms.length ? platforms : ['no platform declared'])].join(', ');
}
