import { describe, expect, it } from 'vitest';
import { expandTemplate, releaseTemplateValues, toolSpec } from '../../src/tools/manifest.js';

describe('release archive names', () => {
  it("spell the platform as the project does: go-containerregistry's Linux_x86_64", () => {
    const crane = toolSpec('crane');
    const url = (os: string, arch: string) => expandTemplate(crane.release.url, releaseTemplateValues(crane, { os, arch }));
    const prefix = `https://github.com/google/go-containerregistry/releases/download/v${crane.version}/go-containerregistry`;
    expect(url('linux', 'amd64')).toBe(`${prefix}_Linux_x86_64.tar.gz`);
    expect(url('darwin', 'arm64')).toBe(`${prefix}_Darwin_arm64.tar.gz`);
    expect(expandTemplate(crane.release.checksumUrl, releaseTemplateValues(crane, { os: 'linux', arch: 'amd64' }))).toBe(
      `https://github.com/google/go-containerregistry/releases/download/v${crane.version}/checksums.txt`,
    );
  });

  it("keep Go's words for projects that use them", () => {
    const helm = toolSpec('helm');
    expect(expandTemplate(helm.release.url, releaseTemplateValues(helm, { os: 'linux', arch: 'amd64' }))).toBe(
      `https://get.helm.sh/helm-v${helm.version}-linux-amd64.tar.gz`,
    );
  });
});
