import { describe, expect, it } from 'vitest';
import { configPlatforms, formatPlatform, manifestPlatforms, missingArchitectures } from '../../src/images/image-platforms.js';

const index = {
  schemaVersion: 2,
  mediaType: 'application/vnd.oci.image.index.v1+json',
  manifests: [
    { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: 'sha256:1', platform: { os: 'linux', architecture: 'amd64' } },
    {
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      digest: 'sha256:2',
      platform: { os: 'linux', architecture: 'arm64', variant: 'v8' },
    },
    // buildx's attestation manifest
    { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: 'sha256:3', platform: { os: 'unknown', architecture: 'unknown' } },
  ],
};

describe('manifestPlatforms', () => {
  it('lists the platforms of an index, attestations left out', () => {
    const found = manifestPlatforms(JSON.stringify(index));
    expect(found).toEqual({
      kind: 'index',
      platforms: [
        { os: 'linux', architecture: 'amd64' },
        { os: 'linux', architecture: 'arm64', variant: 'v8' },
      ],
    });
  });

  it("points at a single image's config, where its platform is", () => {
    const manifest = {
      schemaVersion: 2,
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: 'sha256:c' },
      layers: [],
    };
    expect(manifestPlatforms(JSON.stringify(manifest))).toEqual({ kind: 'image', configDigest: 'sha256:c' });
    expect(configPlatforms(JSON.stringify({ os: 'linux', architecture: 'amd64', rootfs: {} }))).toEqual([
      { os: 'linux', architecture: 'amd64' },
    ]);
    expect(configPlatforms('{"os":"","architecture":""}')).toEqual([]);
  });

  it('reads schema 1 and refuses what is no manifest', () => {
    expect(manifestPlatforms('{"schemaVersion":1,"architecture":"arm64"}')).toEqual({
      kind: 'index',
      platforms: [{ os: 'linux', architecture: 'arm64' }],
    });
    expect(manifestPlatforms('not json')).toEqual({ kind: 'unknown' });
  });
});

describe('missingArchitectures', () => {
  const platforms = [
    { os: 'linux', architecture: 'amd64' },
    { os: 'linux', architecture: 'arm64', variant: 'v8' },
    { os: 'windows', architecture: 'arm' },
  ];

  it('finds a linux/<arch> variant per architecture; a variant counts only when asked for', () => {
    expect(missingArchitectures(platforms, ['amd64', 'arm64'])).toEqual([]);
    expect(missingArchitectures(platforms, ['arm64/v8'])).toEqual([]);
    expect(missingArchitectures(platforms, ['arm/v7', 'arm64/v9', 's390x'])).toEqual(['arm/v7', 'arm64/v9', 's390x']);
    expect(missingArchitectures([], ['amd64'])).toEqual(['amd64']);
    expect(formatPlatform(platforms[1]!)).toBe('linux/arm64/v8');
  });
});
