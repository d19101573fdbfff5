import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { stringify } from 'yaml';
// @ts-expect-error -- plain ESM build script without type declarations
import { bundle } from '../../scripts/bundle.mjs';
import { hydrate } from '../../src/render/index.js';
import { REPOSITORY_PINS_FILE, toolSpec } from '../../src/tools/index.js';
import { FIXTURE_CHARTS } from '../support/chart-repository.js';
import { startGitHubApiServer, type GitHubApiServer } from '../support/github-api-server.js';
import { isolatedHelmEnv } from '../support/helm-home.js';
import { startKubernetesOpenApiServer, type KubernetesOpenApiServer } from '../support/kubernetes-openapi-server.js';
import { OLDER_HELM_VERSION } from '../support/older-helm.js';
import { testToolchain } from '../support/toolchain.js';
import { git, OWNER, PR_BRANCH, pullRequestPayload, REPO, runAction, writeFiles } from './action-harness.js';

const TOKEN = 'ghs_installationtoken0000000000000000000';
const MANIFEST = 'manifests/staging/version/configmap_tools_version.yaml';
const ANNOTATION = 'helmfile-hydrate.test/helm-version';

/**
 * A pull request that pins an older helm in `.helmfile-hydrate.yaml`: the action reads the file
 * from the head commit, renders with that helm (from the tool cache the global setup filled) and
 * commits what it rendered.
 */
describe('the action with a repository pin file', () => {
  let scratch: string;
  let api: GitHubApiServer;
  let schemas: KubernetesOpenApiServer;
  let helm: Awaited<ReturnType<typeof isolatedHelmEnv>>;

  beforeAll(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'hydrate-pins-'));
    await (bundle as (outdir: string) => Promise<void>)(join(scratch, 'dist'));
    helm = await isolatedHelmEnv();
    schemas = await startKubernetesOpenApiServer();
    api = await startGitHubApiServer({ owner: OWNER, repo: REPO });
    api.state.tokens.set(TOKEN, { commentsAs: 'github-actions[bot]' });
  });
  afterAll(async () => {
    await Promise.all([api?.close(), schemas?.close()]);
    await helm?.remove();
    if (scratch) await rm(scratch, { recursive: true, force: true });
  });

  it(`renders the head with helm ${OLDER_HELM_VERSION} when the head pins it, and says where the pin came from`, async () => {
    const main = join(scratch, 'main');
    await git(scratch, 'init', '--quiet', '--initial-branch=main', main);
    await cp(join(FIXTURE_CHARTS, 'helm-version', '1.0.0'), join(main, 'charts', 'helm-version'), { recursive: true });
    await writeFiles(main, {
      'helmfile/helmfile.yaml.gotmpl': `${stringify({ environments: { staging: {} } })}---\n${stringify({ releases: [{ name: 'version', namespace: 'tools', chart: '../charts/helm-version' }] })}`,
    });
    // main holds what tools.json's helm renders.
    const toolchain = await testToolchain();
    try {
      await hydrate({ helmfile: join(main, 'helmfile'), outputDir: join(main, 'manifests'), cwd: main }, toolchain);
    } finally {
      await toolchain.remove();
    }
    await git(main, 'add', '--all');
    await git(main, 'commit', '--quiet', '-m', 'platform');
    const baseSha = await git(main, 'rev-parse', 'HEAD');
    expect(await git(main, 'show', `HEAD:${MANIFEST}`)).toContain(`${ANNOTATION}: "v${toolSpec('helm').version}"`);

    const origin = join(scratch, 'origin.git');
    const workspace = join(scratch, 'workspace');
    await git(scratch, 'clone', '--quiet', '--bare', main, origin);
    await git(main, 'checkout', '--quiet', '-b', PR_BRANCH);
    await writeFiles(main, { [REPOSITORY_PINS_FILE]: `# Tool versions this repository renders with.\nhelm: ${OLDER_HELM_VERSION}\n` });
    await git(main, 'add', '--all');
    await git(main, 'commit', '--quiet', '-m', `pin helm ${OLDER_HELM_VERSION}`);
    const headSha = await git(main, 'rev-parse', 'HEAD');
    await git(main, 'push', '--quiet', origin, PR_BRANCH);
    await git(scratch, 'clone', '--quiet', '--branch', PR_BRANCH, origin, workspace);

    const result = await runAction({
      bundle: join(scratch, 'dist', 'index.js'),
      workspace,
      apiUrl: api.url,
      helmEnv: helm.env,
      payload: pullRequestPayload({ baseSha, headSha }),
      inputs: { token: TOKEN, 'kubernetes-schemas': schemas.baseUrl },
    });
    expect(result.exitCode, `${result.stdout}\n${result.stderr}`).toBe(0);
    expect(result.stdout).toContain(
      `helm ${OLDER_HELM_VERSION} (pinned in ${REPOSITORY_PINS_FILE} on ${PR_BRANCH} (${headSha.slice(0, 12)}); cache: ${inject('olderHelmPath')})`,
    );
    expect(result.stdout).toContain(`helmfile ${toolSpec('helmfile').version} (pinned in helmfile-hydrate's tools.json; cache: `);
    const tip = await git(origin, 'rev-parse', `refs/heads/${PR_BRANCH}`);
    expect(tip).not.toBe(headSha);
    expect(await git(origin, 'show', `${tip}:${MANIFEST}`)).toContain(`${ANNOTATION}: "v${OLDER_HELM_VERSION}"`);
  }, 240_000);
});
