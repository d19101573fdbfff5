import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { stringify } from 'yaml';
// @ts-expect-error -- plain ESM build script without type declarations
import { bundle } from '../../scripts/bundle.mjs';
import { hydrate } from '../../src/render/index.js';
import { startGitHubApiServer, type GitHubApiServer } from '../support/github-api-server.js';
import { isolatedHelmEnv } from '../support/helm-home.js';
import { startKubernetesOpenApiServer, type KubernetesOpenApiServer } from '../support/kubernetes-openapi-server.js';
import { testToolchain } from '../support/toolchain.js';
import { git, helmfileText, PR_BRANCH, PR_NUMBER, pullRequestPayload, runAction, STORAGE_CHART, writeFiles, OWNER, REPO, type ActionRun } from './action-harness.js';

const INSTALLATION_TOKEN = 'ghs_installationtoken0000000000000000000';
const SECRETS = [INSTALLATION_TOKEN, 'ghs_environmenttoken00000000000000000000', 'actions-runtime-token-secret'];
const MARKER = '<!-- helmfile-hydrate sticky comment: helmfile -->';
const BOT = 'github-actions[bot]';

let bundleDir: string;
let scratch: string;
let mainRepo: string;
let helm: Awaited<ReturnType<typeof isolatedHelmEnv>>;
let repositoryUrl: string;
const servers: GitHubApiServer[] = [];
let schemas: KubernetesOpenApiServer;

/** The repository before the pull request: helmfile, values, and the manifests rendered from them, committed on main. */
async function createMainRepository(): Promise<string> {
  const dir = join(scratch, 'main');
  await git(scratch, 'init', '--quiet', '--initial-branch=main', dir);
  await writeFiles(dir, {
    'helmfile/helmfile.yaml.gotmpl': helmfileText(repositoryUrl, '1.0.0'),
    ...Object.fromEntries(Object.entries(STORAGE_CHART).map(([path, content]) => [`charts/storage/${path}`, content])),
    'environments/staging/common.yaml': stringify({ cluster: 'staging' }),
    'environments/staging/web.yaml': stringify({ replicaCount: 1 }),
    'environments/staging/data.yaml': stringify({ persistence: { size: '5Gi' } }),
    'README.md': '# platform\n',
  });
  const toolchain = await testToolchain();
  try {
    await hydrate({ helmfile: join(dir, 'helmfile'), outputDir: join(dir, 'manifests'), cwd: dir }, toolchain);
  } finally {
    await toolchain.remove();
  }
  await git(dir, 'add', '--all');
  await git(dir, 'commit', '--quiet', '-m', 'platform with hydrated manifests');
  return dir;
}

interface Scenario {
  origin: string;
  author: string;
  workspace: string;
  baseSha: string;
  headSha: string;
  api: GitHubApiServer;
}

/**
 * A pull request from PR_BRANCH: `change` edits the author's clone, which pushes to a bare origin.
 * The workspace is a clone of origin as actions/checkout leaves it: the head branch with full
 * history (the documented way), or the detached merge commit at depth 1 (the default).
 */
async function openPullRequest(name: string, change: (author: string) => Promise<void>, checkout: 'branch' | 'merge'): Promise<Scenario> {
  const root = join(scratch, name);
  const origin = join(root, 'origin.git');
  const author = join(root, 'author');
  const workspace = join(root, 'workspace');
  await git(scratch, 'clone', '--quiet', '--bare', mainRepo, origin);
  await git(scratch, 'clone', '--quiet', origin, author);
  const baseSha = await git(author, 'rev-parse', 'HEAD');
  await git(author, 'checkout', '--quiet', '-b', PR_BRANCH);
  await change(author);
  await git(author, 'add', '--all');
  await git(author, 'commit', '--quiet', '-m', `change for ${name}`);
  const headSha = await git(author, 'rev-parse', 'HEAD');
  await git(author, 'push', '--quiet', 'origin', PR_BRANCH, `${PR_BRANCH}:refs/pull/${PR_NUMBER}/head`);
  if (checkout === 'branch') {
    await git(scratch, 'clone', '--quiet', '--branch', PR_BRANCH, origin, workspace);
  } else {
    await git(author, 'checkout', '--quiet', '--detach', baseSha);
    await git(author, 'merge', '--quiet', '--no-ff', '-m', `Merge ${headSha} into ${baseSha}`, headSha);
    await git(author, 'push', '--quiet', 'origin', `HEAD:refs/pull/${PR_NUMBER}/merge`);
    await git(author, 'checkout', '--quiet', PR_BRANCH);
    await git(scratch, 'init', '--quiet', workspace);
    await git(workspace, 'remote', 'add', 'origin', origin);
    await git(workspace, 'fetch', '--quiet', '--no-tags', '--depth=1', 'origin', `+refs/pull/${PR_NUMBER}/merge:refs/remotes/pull/${PR_NUMBER}/merge`);
    await git(workspace, 'checkout', '--quiet', '--detach', `refs/remotes/pull/${PR_NUMBER}/merge`);
  }
  // Two pages of comments before the action's own (the server pages by 2): a person quoting the
  // marker, and chatter. The action must read every page and leave the person's comment alone.
  const api = await startGitHubApiServer({ owner: OWNER, repo: REPO, maxPerPage: 2 });
  servers.push(api);
  api.state.tokens.set(INSTALLATION_TOKEN, { commentsAs: BOT });
  api.addComment(PR_NUMBER, 'alice', `Quoting the bot: ${MARKER} is how it finds its comment.`);
  api.addComment(PR_NUMBER, 'bob', 'LGTM once the manifests are in.');
  api.addComment(PR_NUMBER, 'renovate[bot]', 'Renovate dashboard');
  return { origin, author, workspace, baseSha, headSha, api };
}

function run(scenario: Scenario, options: { headSha?: string; labels?: string[]; headRepository?: string; inputs?: Record<string, string> } = {}): Promise<ActionRun> {
  return runAction({
    bundle: join(bundleDir, 'index.js'),
    workspace: scenario.workspace,
    apiUrl: scenario.api.url,
    helmEnv: helm.env,
    payload: pullRequestPayload({ baseSha: scenario.baseSha, headSha: options.headSha ?? scenario.headSha, labels: options.labels, headRepository: options.headRepository }),
    inputs: { 'kubernetes-schemas': schemas.baseUrl, ...options.inputs },
  });
}

const branchTip = (scenario: Scenario) => git(scenario.origin, 'rev-parse', `refs/heads/${PR_BRANCH}`);
const botComments = (scenario: Scenario) => (scenario.api.state.comments.get(PR_NUMBER) ?? []).filter((comment) => comment.user.login === BOT);
const log = (result: ActionRun) => `${result.stdout}\n${result.stderr}`;

/** `::add-mask::` is the line that tells the runner to mask the token everywhere; the runner consumes it. */
function expectNoSecrets(...texts: string[]): void {
  for (const text of texts) {
    const visible = text.split('\n').filter((line) => !line.startsWith('::add-mask::')).join('\n');
    for (const secret of SECRETS) expect(visible).not.toContain(secret);
  }
}

describe('the bundled action on a pull request', () => {
  beforeAll(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'hydrate-action-'));
    bundleDir = join(scratch, 'dist');
    await (bundle as (outdir: string) => Promise<void>)(bundleDir);
    helm = await isolatedHelmEnv();
    schemas = await startKubernetesOpenApiServer();
    repositoryUrl = inject('chartRepositoryUrl');
    mainRepo = await createMainRepository();
  });
  afterAll(async () => {
    await Promise.all([...servers, ...(schemas ? [schemas] : [])].map((server) => server.close()));
    await helm?.remove();
    if (scratch) await rm(scratch, { recursive: true, force: true });
  });

  it('comments and commits once; a second run on its own commit updates the comment and pushes nothing', async () => {
    const scenario = await openPullRequest('bump', (author) => writeFiles(author, { 'helmfile/helmfile.yaml.gotmpl': helmfileText(repositoryUrl, '1.1.0') }), 'branch');

    const first = await run(scenario);
    expect(first.exitCode, log(first)).toBe(0);
    const tip = await branchTip(scenario);
    expect(tip).not.toBe(scenario.headSha);
    expect(await git(scenario.origin, 'rev-parse', `${tip}^`)).toBe(scenario.headSha);
    expect(await git(scenario.origin, 'log', '-1', '--format=%an <%ae>|%cn <%ce>', tip)).toBe(`${BOT} <41898282+github-actions[bot]@users.noreply.github.com>|${BOT} <41898282+github-actions[bot]@users.noreply.github.com>`);
    const message = await git(scenario.origin, 'log', '-1', '--format=%B', tip);
    expect(message).toContain(scenario.headSha);
    expect(message).toContain(scenario.baseSha);
    expect(message).toMatch(/helm 4\.3\.1, helmfile 1\.8\.0/);
    const changed = (await git(scenario.origin, 'diff', '--name-only', scenario.headSha, tip)).split('\n');
    expect(changed.length).toBeGreaterThan(0);
    expect(changed.every((path) => path.startsWith('manifests/staging/web/'))).toBe(true);
    expect(first.outputs['commit-sha']).toBe(tip);
    expect(first.outputs.changed).toBe('true');
    expect(Number(first.outputs['resources-changed'])).toBeGreaterThan(0);
    expect(first.outputs['report-path']).toMatch(/report\.md$/);
    // No git config was written for the identity.
    expect(await git(scenario.workspace, 'config', '--list', '--local')).not.toMatch(/user\.(name|email)/);

    // The sticky comment: one, by the bot, found across pages; the person quoting the marker is untouched.
    expect(botComments(scenario)).toHaveLength(1);
    const [comment] = botComments(scenario);
    expect(comment!.body).toContain(MARKER);
    expect(comment!.body).toContain(tip.slice(0, 12));
    expect(scenario.api.state.comments.get(PR_NUMBER)![0]!.body).toBe(`Quoting the bot: ${MARKER} is how it finds its comment.`);
    expect(scenario.api.state.requests.some((request) => request.url.includes('/comments?') && request.url.includes('page=2'))).toBe(true);
    expect(first.summary).toContain('helmfile-hydrate');
    expect(first.stdout).toMatch(/::group::render head/);
    expect(first.stdout).toMatch(/::group::commit/);
    expect(first.stdout).toMatch(/0 introduced, \d+ already on the base/);
    expect(comment!.body).toContain('helmfile-hydrate: rendered manifests');
    expectNoSecrets(first.stdout, first.stderr, first.summary, comment!.body, await git(scenario.origin, 'show', tip));
    // helmfile reads INPUT_TOKEN, ACTIONS_RUNTIME_TOKEN and GITHUB_TOKEN into a value: all empty.
    expect(await git(scenario.origin, 'show', `${tip}:manifests/staging/data/configmap_data_data-probe.yaml`)).toContain('probe: "||"');

    // The push of the bot's commit starts a run on it (it would with a PAT): nothing to commit, no loop.
    await git(scenario.workspace, 'pull', '--quiet', '--ff-only');
    const writesBefore = scenario.api.writes().length;
    const second = await run(scenario, { headSha: tip });
    expect(second.exitCode, log(second)).toBe(0);
    expect(await branchTip(scenario)).toBe(tip);
    expect(second.outputs['commit-sha']).toBe('');
    expect(second.stdout).toContain('up to date');
    expect(botComments(scenario)).toHaveLength(1);
    expect(botComments(scenario)[0]!.id).toBe(comment!.id);
    expect(scenario.api.writes().slice(writesBefore)).toEqual([{ method: 'PATCH', url: `/repos/${OWNER}/${REPO}/issues/comments/${comment!.id}` }]);

    // Third run, same state: the body is the same, so the comment is left alone.
    const third = await run(scenario, { headSha: tip });
    expect(third.exitCode, log(third)).toBe(0);
    expect(scenario.api.writes().length).toBe(writesBefore + 1);
    expect(third.stdout).toContain('comment unchanged');
  });

  it('renders a fork pull request without pushing or commenting', async () => {
    const scenario = await openPullRequest('fork', (author) => writeFiles(author, { 'helmfile/helmfile.yaml.gotmpl': helmfileText(repositoryUrl, '1.1.0') }), 'merge');
    scenario.api.state.tokens.set(INSTALLATION_TOKEN, { commentsAs: BOT, readOnly: true });
    const result = await run(scenario, { headRepository: 'outsider/platform' });
    expect(result.exitCode, log(result)).toBe(0);
    expect(await branchTip(scenario)).toBe(scenario.headSha);
    expect(scenario.api.writes()).toEqual([]);
    expect(result.stdout).toContain('comes from the fork outsider/platform');
    expect(result.stdout).toContain('read-only token');
    expect(result.summary).toContain('helmfile-hydrate');
    expect(result.outputs.changed).toBe('true');
  });

  it('commits nothing when a render fails, and the comment names the failing release', async () => {
    const scenario = await openPullRequest('broken', (author) => writeFiles(author, { 'helmfile/helmfile.yaml.gotmpl': helmfileText(repositoryUrl, '9.9.9') }), 'branch');
    const result = await run(scenario);
    expect(result.exitCode, log(result)).toBe(1);
    expect(await branchTip(scenario)).toBe(scenario.headSha);
    const [comment] = botComments(scenario);
    expect(comment!.body).toContain('release "web"');
    expect(comment!.body).toContain('Render failed');
    expect(result.stdout).toMatch(/::error::.*release "web"/);
  });

  it('blocks the deletion of a PersistentVolumeClaim until the pull request carries the label', async () => {
    const scenario = await openPullRequest('pvc', (author) => writeFiles(author, { 'environments/staging/data.yaml': stringify({ persistence: { enabled: false } }) }), 'merge');
    const blocked = await run(scenario);
    expect(blocked.exitCode, log(blocked)).toBe(1);
    expect(await branchTip(scenario)).toBe(scenario.headSha);
    const [comment] = botComments(scenario);
    expect(comment!.body).toContain('Commit blocked');
    expect(comment!.body).toContain('PersistentVolumeClaim data/data-data');
    expect(comment!.body).toContain('hydrate/allow-deletions');

    scenario.api.state.labels.set(PR_NUMBER, ['dependencies', 'hydrate/allow-deletions']);
    const allowed = await run(scenario);
    expect(allowed.exitCode, log(allowed)).toBe(0);
    const tip = await branchTip(scenario);
    expect(await git(scenario.origin, 'rev-parse', `${tip}^`)).toBe(scenario.headSha);
    expect(await git(scenario.origin, 'diff', '--name-status', scenario.headSha, tip)).toBe('D\tmanifests/staging/data/persistentvolumeclaim_data_data-data.yaml');
    expect(botComments(scenario)).toHaveLength(1);
    expect(botComments(scenario)[0]!.body).toContain('allowed by the `hydrate/allow-deletions` label');
    // The workspace was left as checkout left it: the detached merge commit, no new commits.
    expect(await git(scenario.workspace, 'status', '--porcelain')).toBe('');
  });

  it('holds back a change whose sync would fail (a PersistentVolumeClaim shrink) until the pull request carries the risk label', async () => {
    const scenario = await openPullRequest('risk', (author) => writeFiles(author, { 'environments/staging/data.yaml': stringify({ persistence: { size: '1Gi' } }) }), 'branch');
    const blocked = await run(scenario);
    expect(blocked.exitCode, log(blocked)).toBe(1);
    expect(await branchTip(scenario)).toBe(scenario.headSha);
    const [comment] = botComments(scenario);
    expect(comment!.body).toContain('#### Risks (1 risk: 1 high)');
    expect(comment!.body).toContain('`PersistentVolumeClaim data/data-data` `spec.resources.requests.storage`: a PersistentVolumeClaim cannot shrink');
    expect(comment!.body).toContain('`5Gi` → `1Gi`');
    expect(comment!.body).toContain('Commit blocked');
    expect(comment!.body).toContain('add the label "hydrate/allow-risk" to the pull request and re-run the workflow');
    expect(blocked.stdout).toMatch(/::error::commit blocked:%0A- the change has 1 high risk \(listed under Risks\): pvc-shrink on staging\/data PersistentVolumeClaim data\/data-data/);
    expect(blocked.summary).toContain('#### Risks');
    // Annotated on the manifest file, as validation findings are.
    expect(blocked.stdout).toMatch(/::warning title=high risk%3A pvc-shrink \(staging\/data\),file=manifests\/staging\/data\/persistentvolumeclaim_data_data-data\.yaml::PersistentVolumeClaim data-data spec\.resources\.requests\.storage: a PersistentVolumeClaim cannot shrink/);

    scenario.api.state.labels.set(PR_NUMBER, ['dependencies', 'hydrate/allow-risk']);
    const allowed = await run(scenario);
    expect(allowed.exitCode, log(allowed)).toBe(0);
    const tip = await branchTip(scenario);
    expect(await git(scenario.origin, 'rev-parse', `${tip}^`)).toBe(scenario.headSha);
    expect(await git(scenario.origin, 'show', `${tip}:manifests/staging/data/persistentvolumeclaim_data_data-data.yaml`)).toContain('storage: 1Gi');
    expect(botComments(scenario)[0]!.body).toContain('Risks allowed by the `hydrate/allow-risk` label');
  });

  it('stops cleanly when the branch moved while it rendered', async () => {
    const scenario = await openPullRequest('moved', (author) => writeFiles(author, { 'helmfile/helmfile.yaml.gotmpl': helmfileText(repositoryUrl, '1.1.0') }), 'branch');
    await writeFiles(scenario.author, { 'README.md': '# platform\n\nnewer push\n' });
    await git(scenario.author, 'commit', '--quiet', '--all', '-m', 'newer push');
    await git(scenario.author, 'push', '--quiet', 'origin', PR_BRANCH);
    const newer = await git(scenario.author, 'rev-parse', 'HEAD');

    const result = await run(scenario);
    expect(result.exitCode, log(result)).toBe(0);
    expect(await branchTip(scenario)).toBe(newer);
    expect(result.outputs['commit-sha']).toBe('');
    expect(result.stdout).toContain('The newer push starts a newer run');
    expect(botComments(scenario)[0]!.body).toContain('moved while this run rendered it');
  });
});

