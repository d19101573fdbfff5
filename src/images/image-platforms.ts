/** One variant of an image: `linux/arm64/v8`. */
export interface ImagePlatform {
  os: string;
  architecture: string;
  variant?: string;
}

/** What a manifest says about platforms: an index lists them; an image's are in its config blob. */
export type ManifestPlatforms =
  { kind: 'index'; platforms: ImagePlatform[] } | { kind: 'image'; configDigest: string } | { kind: 'unknown' };

/** The architecture every node runs when an environment declares none. */
export const DEFAULT_ARCHITECTURES: readonly string[] = ['amd64'];

function platformOf(value: unknown): ImagePlatform | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { os, architecture, variant } = value as Record<string, unknown>;
  if (typeof os !== 'string' || typeof architecture !== 'string' || !os || !architecture) return undefined;
  return typeof variant === 'string' && variant ? { os, architecture, variant } : { os, architecture };
}

/**
 * Reads a manifest or index (OCI image-spec, Docker schema 2, schema 1). Index entries without a
 * real platform (buildx's attestation manifests are `unknown/unknown`) are left out.
 */
export function manifestPlatforms(text: string): ManifestPlatforms {
  let manifest: Record<string, unknown>;
  try {
    manifest = JSON.parse(text) as Record<string, unknown>;
  } catch {
    return { kind: 'unknown' };
  }
  if (Array.isArray(manifest.manifests)) {
    const platforms = manifest.manifests
      .map((entry) => platformOf((entry as Record<string, unknown> | null)?.platform))
      .filter((platform): platform is ImagePlatform => platform !== undefined && platform.os !== 'unknown');
    return { kind: 'index', platforms };
  }
  const config = manifest.config as Record<string, unknown> | undefined;
  if (typeof config?.digest === 'string') return { kind: 'image', configDigest: config.digest };
  // Docker schema 1 carries the architecture itself (and is always linux).
  if (typeof manifest.architecture === 'string')
    return { kind: 'index', platforms: [{ os: 'linux', architecture: manifest.architecture }] };
  return { kind: 'unknown' };
}

/** The platform an image config declares (`os`, `architecture`, `variant`); empty when it declares none. */
export function configPlatforms(text: string): ImagePlatform[] {
  try {
    const platform = platformOf(JSON.parse(text));
    return platform ? [platform] : [];
  } catch {
    return [];
  }
}

/** `linux/arm64/v8` */
export function formatPlatform(platform: ImagePlatform): string {
  return [platform.os, platform.architecture, platform.variant].filter(Boolean).join('/');
}

/**
 * The architectures (`amd64`, `arm64`, `arm/v7`) no `linux/<arch>` variant of the image serves.
 * A variant is matched only when one is asked for: `arm64` is served by `linux/arm64/v8`.
 */
export function missingArchitectures(platforms: readonly ImagePlatform[], architectures: readonly string[]): string[] {
  return architectures.filter((wanted) => {
    const [architecture, variant] = wanted.split('/');
    return !platforms.some(
      (platform) => platform.os === 'linux' && platform.architecture === architecture && (!variant || platform.variant === variant),
    );
  });
}
