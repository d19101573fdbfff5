import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
// @ts-expect-error -- plain ESM build script without type declarations
import { bundle } from '../../scripts/bundle.mjs';
import { hydrate } from '../../src/render/render.js';
import { FIXTURE_CHARTS } from '../support/chart-repository.js';
import { startGitHubApiServer, type GitHubApiServer } from '../support/github-api-server.js';
import { isolatedHelmEnv } from '../support/helm-home.js';
import { startKubernetesOpenApiServer, type KubernetesOpenApiServer } from '../support/kubernetes-openapi-server.js';
import { testToolchain } from '../support/toolchain.js';
import { git, OWNER, PR_BRANCH, PR_NUMBER, pullRequestPayload, REPO, runAction, writeFiles } from './action-harness.js';

const TOKEN = 'ghs_installationtoken0000000000000000000';
const TLS = 'manifests/staging/gen/secret_apps_gen-tls.yaml';

/**
 * A chart that generates its webhook CA, certificate and a password on every render (genCA,
 * randAlphaNum, uuidv4, now): a pull request changing one of its values gets one commit, with the
 * CA committed on main kept; runs on the bot's own commit push nothing.
 */
describe('the action with a chart that generates values', () => {
  let scratch: string;
  let api: GitHubApiServer;
  let schemas: KubernetesOpenApiServer;
  let helm: Awaited<ReturnType<typeof isolatedHelmEnv>>;

  beforeAll(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'hydrate-generated-'));
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

  it('commits once across three runs and keeps the committed CA', async () => {
    const main = join(scratch, 'main');
    await git(scratch, 'init', '--quiet', '--initial-branch=main', main);
    await cp(join(FIXTURE_CHARTS, 'generator', '1.0.0'), join(main, 'charts', 'gen'), { recursive: true });
    await writeFiles(main, {
      'helmfile/helmfile.yaml.gotmpl': `${stringify({ environments: { staging: {} } })}---\n${stringify({ releases: [{ name: 'gen', namespace: 'apps', chart: '../charts/gen', values: ['../environments/gen.yaml'] }] })}`,
      'environments/gen.yaml': stringify({ greeting: 'hello' }),
    });
    const toolchain = await testToolchain();
    try {
      await hydrate({ helmfile: join(main, 'helmfile'), outputDir: join(main, 'manifests'), cwd: main }, toolchain);
    } finally {
      await toolchain.remove();
    }
    await git(main, 'add', '--all');
    await git(main, 'commit', '--quiet', '-m', 'platform');
    const baseSha = await git(main, 'rev-parse', 'HEAD');
    const committedTls = await readFile(join(main, TLS), 'utf8');

    const origin = join(scratch, 'origin.git');
    const workspace = join(scratch, 'workspace');
    await git(scratch, 'clone', '--quiet', '--bare', main, origin);
    await git(main, 'checkout', '--quiet', '-b', PR_BRANCH);
    await writeFiles(main, { 'environments/gen.yaml': stringify({ greeting: 'bonjour' }) });
    await git(main, 'commit', '--quiet', '-am', 'greeting');
    const headSha = await git(main, 'rev-parse', 'HEAD');
    await git(main, 'push', '--quiet', origin, PR_BRANCH);
    await git(scratch, 'clone', '--quiet', '--branch', PR_BRANCH, origin, workspace);

    const tips: string[] = [];
    const comments: string[] = [];
    let head = headSha;
    for (let run = 0; run < 3; run++) {
      const result = await runAction({
        bundle: join(scratch, 'dist', 'index.js'),
        workspace,
        apiUrl: api.url,
        helmEnv: helm.env,
        payload: pullRequestPayload({ baseSha, headSha: head }),
        inputs: { token: TOKEN, 'kubernetes-schemas': schemas.baseUrl },
      });
      expect(result.exitCode, `${result.stdout}\n${result.stderr}`).toBe(0);
      head = await git(origin, 'rev-parse', `refs/heads/${PR_BRANCH}`);
      tips.push(head);
      comments.push((api.state.comments.get(PR_NUMBER) ?? [])[0]?.body ?? '');
      await git(workspace, 'fetch', '--quiet', 'origin');
      await git(workspace, 'checkout', '--quiet', '--detach', head);
    }
    expect(tips[0]).not.toBe(headSha);
    expect(new Set(tips)).toEqual(new Set([tips[0]]));
    expect(await git(origin, 'rev-list', '--count', `${headSha}..${tips[0]}`)).toBe('1');
    expect(await git(origin, 'show', `${tips[0]}:${TLS}`)).toBe(committedTls.trimEnd());
    expect(await git(origin, 'show', `${tips[0]}:manifests/staging/gen/configmap_apps_gen-greeting.yaml`)).toContain('greeting: "bonjour"');
    // The run that rendered the changed release found the generated values and said so; later runs
    // on the bot's commit render nothing (the fingerprints match).
    expect(comments[0]).toContain('Values the charts generate on every render');
  }, 240_000);
});
