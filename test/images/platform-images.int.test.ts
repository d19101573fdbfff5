import { lookup } from 'node:dns/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, inject, it } from 'vitest';
import { imagesOfEnvironments } from '../../src/images/image-check.js';
import { imageDrill } from '../../src/images/image-drill.js';
import { parseImageReference } from '../../src/images/image-reference.js';
import { formatReportText } from '../../src/validate/findings/output.js';
import { readManifestsForValidation } from '../../src/validate/manifest-files.js';

/** The platform's committed manifests: the render of its real upstream charts. */
const PLATFORM_MANIFESTS = fileURLToPath(new URL('../../manifests', import.meta.url));

/** True when public registries can be reached from here (this project's CI has no internet). */
async function online(): Promise<boolean> {
  return lookup('registry-1.docker.io').then(
    () => true,
    () => false,
  );
}

describe("the rebuild drill's image check on the real platform", () => {
  it('lists every image of manifests/ once per registry as not checked when the registries cannot be reached', async (context) => {
    if (await online()) context.skip('public registries are reachable here: the images are really resolved');
    const { environments } = await readManifestsForValidation(PLATFORM_MANIFESTS, []);
    const images = [...new Set(imagesOfEnvironments(environments).map((use) => use.image))];
    const registries = [...new Set(images.map((image) => parseImageReference(image)?.registry))];
    expect(images.length).toBeGreaterThan(10);
    const started = Date.now();
    const drill = await imageDrill(environments, { crane: () => Promise.resolve(inject('cranePath')) }, () => {});
    const elapsed = Date.now() - started;
    expect(drill.findings).toEqual([]);
    expect(drill.images.summary).toBe(`0 of ${images.length} images the environments run resolved against their registries`);
    // One line per registry, naming each of its images.
    expect(drill.images.notChecked.map((item) => item.registry).sort()).toEqual(registries.sort());
    const listed = drill.images.notChecked.flatMap((item) => item.reason.split('; not checked: ')[1]!.split(', '));
    expect(listed.sort()).toEqual(images.map((image) => image).sort());
    for (const item of drill.images.notChecked) expect(item.reason).toMatch(/^not reachable: /);
    const text = formatReportText({
      kubernetesVersion: '1.35',
      resourceCount: 0,
      findings: [],
      skipped: [],
      warnings: [],
      images: drill.images,
    });
    expect(text).toContain(`not checked (${registries.length}):`);
    process.stderr.write(`[images] ${images.length} images of ${registries.length} registries not checked in ${elapsed} ms\n`);
  }, 120_000);
});
