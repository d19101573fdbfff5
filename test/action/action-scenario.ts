import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// @ts-expect-error -- plain ESM build script without type declarations
import { bundle } from '../../scripts/bundle.mjs';
import { hydrate } from '../../src/render/render.js';
import { FIXTURE_CHARTS } from '../support/chart-repository.js';
import { startGitHubApiServer, type GitHubApiServer } from '../support/github-api-server.js';
import { isolatedHelmEnv } from '../support/helm-home.js';
import { startKubernetesOpenApiServer, type KubernetesOpenApiServer } from '../support/kubernetes-openapi-server.js';
import { testToolchain } from '../support/toolchain.js';
import { git, OWNER, PR_BRANCH, REPO, writeFiles } from './action-harness.js';

/** What one scenario of the bundled action runs against: a fresh bundle, a helm home, the schema and GitHub API servers. */
export interface ActionScenario {
  scratch: string;
  /** The bundled action's entry point (`dist/index.js` of this scenario). */
  bundle: string;
  api: GitHubApiServer;
  schemas: KubernetesOpenApiServer;
  helm: Awaited<ReturnType<typeof isolatedHelmEnv>>;
  close(): Promise<void>;
}

/** Bundles the action and starts the servers; `token` is a token the GitHub API server accepts (comments as github-actions[bot]). */
export async function startActionScenario(prefix: string, token: string): Promise<ActionScenario> {
  const scratch = await mkdtemp(join(tmpdir(), prefix));
  await (bundle as (outdir: string) => Promise<void>)(join(scratch, 'dist'));
  const helm = await isolatedHelmEnv();
  const schemas = await startKubernetesOpenApiServer();
  const api = await startGitHubApiServer({ owner: OWNER, repo: REPO });
  api.state.tokens.set(token, { commentsAs: 'github-actions[bot]' });
  return {
    scratch,
    bundle: join(scratch, 'dist', 'index.js'),
    api,
    schemas,
    helm,
    close: async () => {
      await Promise.all([api.close(), schemas.close()]);
      await helm.remove();
      await rm(scratch, { recursive: true, force: true });
    },
  };
}

/**
 * `<scratch>/main`: a repository holding the fixture chart `chart` (a directory of
 * test/fixtures/charts) under `charts/<name>`, `files`, and the manifests tools.json's helm and
 * helmfile render from them, committed on main. Returns the directory and the commit.
 */
export async function committedPlatform(
  scratch: string,
  chart: { fixture: string; name: string },
  files: Record<string, string>,
): Promise<{ main: string; baseSha: string }> {
  const main = join(scratch, 'main');
  await git(scratch, 'init', '--quiet', '--initial-branch=main', main);
  await cp(join(FIXTURE_CHARTS, chart.fixture), join(main, 'charts', chart.name), { recursive: true });
  await writeFiles(main, files);
  const toolchain = await testToolchain();
  try {
    await hydrate({ helmfile: join(main, 'helmfile'), outputDir: join(main, 'manifests'), cwd: main }, toolchain);
  } finally {
    await toolchain.remove();
  }
  await git(main, 'add', '--all');
  await git(main, 'commit', '--quiet', '-m', 'platform');
  return { main, baseSha: await git(main, 'rev-parse', 'HEAD') };
}

/**
 * The pull request: a bare `origin` cloned from `main`, the branch PR_BRANCH with `files` committed
 * on top and pushed, and `workspace`, the workflow's checkout of that branch.
 */
export async function pullRequestBranch(
  scratch: string,
  main: string,
  files: Record<string, string>,
  message: string,
): Promise<{ origin: string; workspace: string; headSha: string }> {
  const origin = join(scratch, 'origin.git');
  const workspace = join(scratch, 'workspace');
  await git(scratch, 'clone', '--quiet', '--bare', main, origin);
  await git(main, 'checkout', '--quiet', '-b', PR_BRANCH);
  await writeFiles(main, files);
  await git(main, 'add', '--all');
  await git(main, 'commit', '--quiet', '-m', message);
  const headSha = await git(main, 'rev-parse', 'HEAD');
  await git(main, 'push', '--quiet', origin, PR_BRANCH);
  await git(scratch, 'clone', '--quiet', '--branch', PR_BRANCH, origin, workspace);
  return { origin, workspace, headSha };
}
