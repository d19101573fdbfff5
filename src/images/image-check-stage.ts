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
  type ImageUse,
  type ResolvedImage,
} from './image-check.js';
import { DEFAULT_ARCHITECTURES } from './image-platforms.js';
import { withDockerConfig } from './registry-credentials.js';
import { lookUpImages } from './registry-lookup.js';

export interface ImageCheckOptions {
  /** The crane binary; asked for only when there is an image to look up (a bump without image changes installs nothing). */
  crane: () => Promise<string>;
  /** The architectures of each environment's nodes; default `amd64` everywhere. */
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
  const architectures = options.architectures ?? (() => DEFAULT_ARCHITECTURES);
  const images = [...new Set(uses.map((use) => use.image))];
  const results =
    images.length === 0
      ? new Map()
      : await withDockerConfig(options.registryAuth, async (dockerConfigDirectory) =>
          lookUpImages(images, { binary: await options.crane(), dockerConfigDirectory, cacheDirectory: options.cacheDirectory, log }),
        );
  const coverage = imageCheckCoverage(uses, results);
  log(coverage.summary);
  return { risks: imageRisks(uses, results, architectures), coverage, resolved: resolvedImages(results) };
}

/**
 * The image check as a stage of the compare pipeline: every image the head deploys that the base
 * did not run there is resolved against its registry; a missing tag or architecture is a high risk.
 */
export function imageCheck(options: ImageCheckOptions): SideCheck {
  return {
    name: IMAGE_CHECK_NAME,
    async run(sides, { log }) {
      const checked = await checkImages(imagesChangedByHead(sides), options, log);
      return { risks: checked.risks, coverage: checked.coverage, resolvedImages: checked.resolved };
    },
  };
}
