import type { SideCheck } from '../compare/compare.js';
import type { CheckCoverage } from '../report/check-coverage.js';
import type { Risk } from '../risk/types.js';
import {
  IMAGE_CHECK_NAME,
  imageCheckCoverage,
  imageRisks,
  imagesChangedByHead,
  resolvedImages,
  type EnvironmentArchitectures,
  type ImageLookupResult,
  type ImageUse,
  type ResolvedImage,
} from './image-check.js';
import { DEFAULT_ARCHITECTURES } from './image-platforms.js';
import { withDockerConfig } from './registry-credentials.js';
import { lookUpImages } from './registry-lookup.js';

export interface ImageCheckOptions {
  /** The crane binary; asked for only when there is an image to look up (a bump without image changes installs nothing). */
  crane: () => Promise<string>;
  /**
   * The architectures of each environment's nodes (`amd64`, `arm64`, `arm/v7`); default `amd64`
   * everywhere. The node declaration of `.helmfile-hydrate.yaml` (environments.<env>.nodes) is
   * what the action and the CLI are to pass here.
   */
  architectures?: EnvironmentArchitectures;
  /** Platforms by digest, kept across runs (the action persists it with the Actions cache). */
  cacheDirectory?: string;
  /** A docker config JSON with registry credentials (a secret: never printed). */
  registryAuth?: string;
}

export interface ImageCheckResult {
  risks: Risk[];
  coverage: CheckCoverage;
  resolved: ResolvedImage[];
}

/** Looks the images up and turns what the registries said into risks and the report's lines. */
export async function checkImages(
  uses: readonly ImageUse[],
  options: ImageCheckOptions,
  log: (message: string) => void,
): Promise<ImageCheckResult> {
  const results = await resolveImageUses(uses, options, log);
  const coverage = imageCheckCoverage(uses, results);
  log(coverage.summary);
  return { risks: imageRisks(uses, results, architecturesOf(options)), coverage, resolved: resolvedImages(results) };
}

/** The environments' node architectures the options give; `amd64` where none are given. */
export function architecturesOf(options: ImageCheckOptions): EnvironmentArchitectures {
  return options.architectures ?? (() => DEFAULT_ARCHITECTURES);
}

/** What the registries say of each distinct image of `uses` (crane resolved only when there is one). */
export async function resolveImageUses(
  uses: readonly ImageUse[],
  options: ImageCheckOptions,
  log: (message: string) => void,
): Promise<Map<string, ImageLookupResult>> {
  const images = [...new Set(uses.map((use) => use.image))];
  if (images.length === 0) return new Map();
  let binary: string;
  try {
    binary = await options.crane();
  } catch (error) {
    // Without crane nothing can be asked: every image is "not checked", the comparison goes on.
    const reason = `crane could not be installed: ${(error as Error).message.split('\n')[0]}`;
    return new Map(images.map((image) => [image, { status: 'not-checked', registry: 'crane', reason }]));
  }
  return withDockerConfig(options.registryAuth, (dockerConfigDirectory) =>
    lookUpImages(images, { binary, dockerConfigDirectory, cacheDirectory: options.cacheDirectory, log }),
  );
}

/**
 * The image check as a stage of the compare pipeline: every image the head deploys that the base
 * did not run there is resolved against its registry; a missing tag or architecture is a high risk.
 */
export function imageCheck(options: ImageCheckOptions): SideCheck {
  return {
    name: IMAGE_CHECK_NAME,
    async run(sides, { log }) {
      const uses = imagesChangedByHead(sides);
      // A change that deploys no new image has nothing to say here: no line in the report.
      if (uses.length === 0) return {};
      const checked = await checkImages(uses, options, log);
      return { risks: checked.risks, coverage: [checked.coverage], resolvedImages: checked.resolved };
    },
  };
}
