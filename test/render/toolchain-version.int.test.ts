import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { renderEnvironments } from '../../src/render/render.js';
import { type EnvironmentManifests } from '../../src/model/manifests.js';
import { parseRepositoryPins, REPOSITORY_PINS_FILE } from '../../src/tools/repository-pins.js';
import { prepareToolchain } from '../../src/tools/toolchain.js';
import { toolSpec } from '../../src/tools/manifest.js';
import { GitopsRepo } from '../support/gitops-repo.js';
import { isolatedHelmEnv } from '../support/helm-home.js';
import { OLDER_HELM_VERSION } from '../support/older-helm.js';

const ANNOTATION = 'helmfile-hydrate.test/helm-version';

/** Every rendered file by path: `<environment>/<release>/<file>` -> helm's text. */
function files(environments: EnvironmentManifests[]): Record<string, string> {
  return Object.fromEntries(
    environments.flatMap((environment) => environment.releases.flatMap((release) => release.resources.map((r) => [r.path, r.content]))),
  );
}

// The same helmfile, rendered by the toolchain tools.json pins and by the one a repository's pin
// file asks for: the chart writes `.Capabilities.HelmVersion.Version` into an annotation.
describe('the toolchain a repository pins', () => {
  let repo: GitopsRepo;
  let helmHome: Awaited<ReturnType<typeof isolatedHelmEnv>>;

  beforeAll(async () => {
    helmHome = await isolatedHelmEnv();
    repo = await GitopsRepo.create({
      repositoryUrl: inject('chartRepositoryUrl'),
      environments: ['production'],
      releases: [{ name: 'version', namespace: 'tools', chart: 'helm-version', version: '1.0.0' }],
    });
  });
  afterAll(async () => {
    await repo?.remove();
    await helmHome?.remove();
  });

  it(`renders with helm ${OLDER_HELM_VERSION} when the pin file says so: only the helm version annotation differs`, async () => {
    const pinned = await prepareToolchain({
      versions: parseRepositoryPins(`helm: ${OLDER_HELM_VERSION}\n`, REPOSITORY_PINS_FILE),
      env: helmHome.env,
    });
    expect(pinned.helm).toMatchObject({ version: OLDER_HELM_VERSION, path: inject('olderHelmPath') });
    expect(pinned.pins).toEqual({
      helm: { version: OLDER_HELM_VERSION, pinnedBy: REPOSITORY_PINS_FILE, location: REPOSITORY_PINS_FILE },
      helmfile: { version: toolSpec('helmfile').version, pinnedBy: 'tools.json', location: 'tools.json' },
    });
    const current = await prepareToolchain({ env: helmHome.env });
    expect(current.helm).toMatchObject({ version: toolSpec('helm').version, path: inject('helmPath') });
    expect(current.pins.helm.pinnedBy).toBe('tools.json');

    const settings = { helmfile: repo.helmfile, cwd: repo.dir };
    const older = files(await renderEnvironments(settings, pinned));
    const newer = files(await renderEnvironments(settings, current));
    const path = 'production/version/configmap_tools_version.yaml';
    expect(Object.keys(older)).toEqual([path]);
    expect(Object.keys(newer)).toEqual([path]);
    expect(older[path]).toContain(`${ANNOTATION}: "v${OLDER_HELM_VERSION}"`);
    expect(newer[path]).toContain(`${ANNOTATION}: "v${toolSpec('helm').version}"`);
    // Exactly that line differs.
    const olderLines = older[path]!.split('\n');
    const newerLines = newer[path]!.split('\n');
    expect(olderLines).toHaveLength(newerLines.length);
    expect(olderLines.filter((line, index) => line !== newerLines[index])).toEqual([`    ${ANNOTATION}: "v${OLDER_HELM_VERSION}"`]);
  });
});
