import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { stringify } from 'yaml';
import { REPOSITORY_PINS_FILE } from '../../src/tools/repository-pins.js';
import { toolSpec } from '../../src/tools/manifest.js';
import { OLDER_HELM_VERSION } from '../support/older-helm.js';
import { git, PR_BRANCH, pullRequestPayload, runAction } from './action-harness.js';
import { committedPlatform, pullRequestBranch, startActionScenario, type ActionScenario } from './action-scenario.js';

const TOKEN = 'ghs_installationtoken0000000000000000000';
const MANIFEST = 'manifests/staging/version/configmap_tools_version.yaml';
const ANNOTATION = 'helmfile-hydrate.test/helm-version';

/**
 * A pull request that pins an older helm in `.helmfile-hydrate.yaml`: the action reads the file
 * from the head commit, renders with that helm (from the tool cache the global setup filled) and
 * commits what it rendered.
 */
describe('the action with a repository pin file', () => {
  let scenario: ActionScenario;

  beforeAll(async () => {
    scenario = await startActionScenario('hydrate-pins-', TOKEN);
  });
  afterAll(() => scenario?.close());

  it(`renders the head with helm ${OLDER_HELM_VERSION} when the head pins it, and says where the pin came from`, async () => {
    // main holds what tools.json's helm renders.
    const { main, baseSha } = await committedPlatform(
      scenario.scratch,
      { fixture: join('helm-version', '1.0.0'), name: 'helm-version' },
      {
        'helmfile/helmfile.yaml.gotmpl': `${stringify({ environments: { staging: {} } })}---\n${stringify({ releases: [{ name: 'version', namespace: 'tools', chart: '../charts/helm-version' }] })}`,
      },
    );
    expect(await git(main, 'show', `HEAD:${MANIFEST}`)).toContain(`${ANNOTATION}: "v${toolSpec('helm').version}"`);
    const { origin, workspace, headSha } = await pullRequestBranch(
      scenario.scratch,
      main,
      { [REPOSITORY_PINS_FILE]: `# Tool versions this repository renders with.\nhelm: ${OLDER_HELM_VERSION}\n` },
      `pin helm ${OLDER_HELM_VERSION}`,
    );

    const result = await runAction({
      bundle: scenario.bundle,
      workspace,
      apiUrl: scenario.api.url,
      helmEnv: scenario.helm.env,
      payload: pullRequestPayload({ baseSha, headSha }),
      inputs: { token: TOKEN, 'kubernetes-schemas': scenario.schemas.baseUrl },
    });
    expect(result.exitCode, `${result.stdout}\n${result.stderr}`).toBe(0);
    expect(result.stdout).toContain(
      `helm ${OLDER_HELM_VERSION} (pinned in ${REPOSITORY_PINS_FILE} on ${PR_BRANCH} (${headSha.slice(0, 12)}); cache: ${inject('olderHelmPath')})`,
    );
    expect(result.stdout).toContain(`helmfile ${toolSpec('helmfile').version} (pinned in helmfile-hydrate's tools.json; cache: `);
    const tip = await git(origin, 'rev-parse', `refs/heads/${PR_BRANCH}`);
    expect(tip).not.toBe(headSha);
    expect(await git(origin, 'show', `${tip}:${MANIFEST}`)).toContain(`${ANNOTATION}: "v${OLDER_HELM_VERSION}"`);
    // The comment names the toolchain as the cause: the pull request changed no input of the release.
    const [comment] = [...scenario.api.state.comments.values()].flat();
    expect(comment!.body).toContain(
      `- **toolchain**: \`helm ${toolSpec('helm').version} → ${OLDER_HELM_VERSION} (staging)\`: 1 resource (the same inputs render differently`,
    );
    expect(comment!.body).toContain('cause: **toolchain**');
  }, 240_000);
});
