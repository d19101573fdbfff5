import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { execa } from 'execa';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { stringify } from 'yaml';
// @ts-expect-error -- plain ESM build script without type declarations
import { bundle } from '../../scripts/bundle.mjs';
import { diffCommand } from '../../src/cli/diff-command.js';
import { hydrate } from '../../src/render/render.js';
import { toolSpec } from '../../src/tools/manifest.js';
import { runtimeToken, startGitHubApiServer, type GitHubApiServer } from '../support/github-api-server.js';
import { startGitHttpServer } from '../support/git-http-server.js';
import { isolatedHelmEnv } from '../support/helm-home.js';
import { startKubernetesOpenApiServer, type KubernetesOpenApiServer } from '../support/kubernetes-openapi-server.js';
import { testToolchain } from '../support/toolchain.js';
import {
  git,
  helmfileText,
  PR_BRANCH,
  PR_NUMBER,
  pullRequestPayload,
  runAction,
  STORAGE_CHART,
  writeFiles,
  OWNER,
  REPO,
  type ActionRun,
} from './action-harness.js';

const INSTALLATION_TOKEN = 'ghs_installationtoken0000000000000000000';
/** Credentials of a private registry for the image check (input registry-auth): never shown, not even in part. */
const REGISTRY_PASSWORD = 'registry-password-000000000000';
const REGISTRY_AUTH_BASE64 = Buffer.from(`robot:${REGISTRY_PASSWORD}`).toString('base64');
const REGISTRY_AUTH = JSON.stringify({ auths: { 'registry.example.com': { auth: REGISTRY_AUTH_BASE64 } } });
const SECRETS = [
  INSTALLATION_TOKEN,
  'ghs_environmenttoken00000000000000000000',
  'actions-runtime-token-secret',
  REGISTRY_PASSWORD,
  REGISTRY_AUTH_BASE64,
];
const MARKER = '<!-- helmfile-hydrate sticky comment: helmfile -->';
const BOT = 'github-actions[bot]';
const COMMENTS_PATH = new RegExp(`^/repos/${OWNER}/${REPO}/issues/${PR_NUMBER}/comments$`);

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
async function openPullRequest(
  name: string,
  change: (author: string) => Promise<void>,
  checkout: 'branch' | 'merge',
  /** A commit pushed to main before the branch is made (main drifting from its inputs). */
  mainChange?: (author: string) => Promise<void>,
): Promise<Scenario> {
  const root = join(scratch, name);
  const origin = join(root, 'origin.git');
  const author = join(root, 'author');
  const workspace = join(root, 'workspace');
  await git(scratch, 'clone', '--quiet', '--bare', mainRepo, origin);
  await git(scratch, 'clone', '--quiet', origin, author);
  if (mainChange) {
    await mainChange(author);
    await git(author, 'commit', '--quiet', '--all', '-m', `main change for ${name}`);
    await git(author, 'push', '--quiet', 'origin', 'main');
  }
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
    await git(
      workspace,
      'fetch',
      '--quiet',
      '--no-tags',
      '--depth=1',
      'origin',
      `+refs/pull/${PR_NUMBER}/merge:refs/remotes/pull/${PR_NUMBER}/merge`,
    );
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

interface RunOptions {
  headSha?: string;
  labels?: string[];
  headRepository?: string;
  inputs?: Record<string, string>;
  extraEnv?: Record<string, string>;
  beforeRun?: (runnerTemp: string) => Promise<void>;
  afterRun?: (runnerTemp: string) => Promise<void>;
}

function run(scenario: Scenario, options: RunOptions = {}): Promise<ActionRun> {
  return runAction({
    extraEnv: options.extraEnv,
    beforeRun: options.beforeRun,
    afterRun: options.afterRun,
    bundle: join(bundleDir, 'index.js'),
    workspace: scenario.workspace,
    apiUrl: scenario.api.url,
    helmEnv: helm.env,
    payload: pullRequestPayload({
      baseSha: scenario.baseSha,
      headSha: options.headSha ?? scenario.headSha,
      labels: options.labels,
      headRepository: options.headRepository,
    }),
    inputs: { 'kubernetes-schemas': schemas.baseUrl, ...options.inputs },
  });
}

/** The one file of the main repository's commit whose path starts with `prefix`. */
async function committedFile(prefix: string): Promise<string> {
  const files = (await git(mainRepo, 'ls-tree', '-r', '--name-only', 'HEAD')).split('\n').filter((path) => path.startsWith(prefix));
  expect(files).toHaveLength(1);
  return files[0]!;
}

const branchTip = (scenario: Scenario) => git(scenario.origin, 'rev-parse', `refs/heads/${PR_BRANCH}`);
const botComments = (scenario: Scenario) =>
  (scenario.api.state.comments.get(PR_NUMBER) ?? []).filter((comment) => comment.user.login === BOT);
const log = (result: ActionRun) => `${result.stdout}\n${result.stderr}`;

/** `::add-mask::` is the line that tells the runner to mask the token everywhere; the runner consumes it. */
function expectNoSecrets(...texts: string[]): void {
  for (const text of texts) {
    const visible = text
      .split('\n')
      .filter((line) => !line.startsWith('::add-mask::'))
      .join('\n');
    for (const secret of SECRETS) expect(visible).not.toContain(secret);
  }
}

/** What `helmfile-hydrate diff` prints on stdout, run in-process in `cwd` with the pinned tools and an isolated helm home. */
async function diffOutput(args: string[], cwd: string): Promise<string> {
  const out: string[] = [];
  const saved = { ...process.env };
  Object.assign(process.env, helm.env);
  try {
    const tools = ['--helm', inject('helmPath'), '--helmfile-binary', inject('helmfilePath')];
    await diffCommand([...args, ...tools], { out: (text) => out.push(text), err: () => {} }, cwd);
  } finally {
    for (const name of Object.keys(helm.env)) {
      if (saved[name] === undefined) delete process.env[name];
      else process.env[name] = saved[name];
    }
  }
  return out.join('');
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
    const scenario = await openPullRequest(
      'bump',
      (author) => writeFiles(author, { 'helmfile/helmfile.yaml.gotmpl': helmfileText(repositoryUrl, '1.1.0') }),
      'branch',
    );

    const first = await run(scenario, { inputs: { 'registry-auth': REGISTRY_AUTH } });
    expect(first.exitCode, log(first)).toBe(0);
    const tip = await branchTip(scenario);
    expect(tip).not.toBe(scenario.headSha);
    expect(await git(scenario.origin, 'rev-parse', `${tip}^`)).toBe(scenario.headSha);
    expect(await git(scenario.origin, 'log', '-1', '--format=%an <%ae>|%cn <%ce>', tip)).toBe(
      `${BOT} <41898282+github-actions[bot]@users.noreply.github.com>|${BOT} <41898282+github-actions[bot]@users.noreply.github.com>`,
    );
    const message = await git(scenario.origin, 'log', '-1', '--format=%B', tip);
    expect(message).toContain(scenario.headSha);
    expect(message).toContain(scenario.baseSha);
    // The pinned versions, whatever Renovate last bumped tools.json to.
    expect(message).toContain(`helm ${toolSpec('helm').version}, helmfile ${toolSpec('helmfile').version}`);
    const changed = (await git(scenario.origin, 'diff', '--name-only', scenario.headSha, tip)).split('\n');
    expect(changed.length).toBeGreaterThan(0);
    // The resources of the bumped release, and render's record of files and input fingerprints.
    expect(
      changed.filter((path) => path !== 'manifests/.helmfile-hydrate.json').every((path) => path.startsWith('manifests/staging/web/')),
    ).toBe(true);
    expect(first.outputs['commit-sha']).toBe(tip);
    // The pushed commit is the pull request's new head: it carries the action's status for branch protection.
    expect(scenario.api.state.statuses.get(tip)).toEqual([
      {
        state: 'success',
        context: 'helmfile-hydrate',
        description: expect.stringMatching(/^0 added, \d+ changed, 0 removed; manifests committed$/),
        target_url: 'https://github.example/acme/platform/actions/runs/4242',
        creator: BOT,
      },
    ]);
    expect(scenario.api.state.statuses.has(scenario.headSha)).toBe(false);
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
    expect(first.stdout).toMatch(/::group::render base \(\w+\) and head/);
    expect(first.stdout).toMatch(/::group::commit/);
    expect(first.stdout).toMatch(/0 introduced, \d+ already on the base/);
    expect(comment!.body).toContain('helmfile-hydrate: rendered manifests');
    // The image check ran: the fixture registry has no address here, so it is listed as not checked, and blocks nothing.
    expect(comment!.body).toMatch(
      /- `registry\.example\.com`: not reachable: .*; not checked: registry\.example\.com\/library\/nginx:1\.28\.0/,
    );
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
    expect(scenario.api.writes().slice(writesBefore)).toEqual([
      { method: 'PATCH', url: `/repos/${OWNER}/${REPO}/issues/comments/${comment!.id}` },
      { method: 'POST', url: `/repos/${OWNER}/${REPO}/statuses/${tip}` },
    ]);
    // The rerun on the bot's commit passes and says so on that commit: the required check is green.
    expect(scenario.api.state.statuses.get(tip)!.at(-1)).toMatchObject({
      state: 'success',
      context: 'helmfile-hydrate',
      description: expect.stringMatching(/manifests up to date$/),
    });

    // Third run, same state: the body is the same, so the comment is left alone.
    const third = await run(scenario, { headSha: tip });
    expect(third.exitCode, log(third)).toBe(0);
    expect(scenario.api.writes().length).toBe(writesBefore + 3);
    expect(third.stdout).toContain('comment unchanged');
  });

  it("names the hand edits of rendered files in the comment (an edit, a deletion), and its commit puts helm's bytes back; a rerun pushes nothing", async () => {
    const file = await committedFile('manifests/staging/web/configmap_');
    const service = await committedFile('manifests/staging/web/service_');
    const helmBytes = await git(mainRepo, 'show', `HEAD:${file}`);
    const serviceBytes = await git(mainRepo, 'show', `HEAD:${service}`);
    const scenario = await openPullRequest(
      'hand-edit',
      async (author) => {
        await writeFiles(author, { [file]: helmBytes.replace(/^metadata:$/m, 'metadata:\n  annotations:\n    tuned: by-hand') });
        await rm(join(author, service));
      },
      'branch',
    );
    let json = '';
    const first = await run(scenario, {
      afterRun: async (runnerTemp) => {
        json = await readFile(join(runnerTemp, 'helmfile-hydrate', 'report.json'), 'utf8');
      },
    });
    expect(first.exitCode, log(first)).toBe(0);
    const [comment] = botComments(scenario);
    expect(comment!.body).toContain('#### Not asked for by this pull request');
    expect(comment!.body).toMatch(
      /- \*\*hand-edit\*\*: 2 files \(edited by hand on this branch; the action's commit puts helm's bytes back\)/,
    );
    expect(comment!.body).toContain(`\`${file.slice('manifests/'.length)}\` (+0 -2)`);
    expect(comment!.body).toMatch(new RegExp(`\`${service.slice('manifests/'.length).replace(/\./g, '\\.')}\` \\(\\+\\d+ -0\\)`));
    const tip = await branchTip(scenario);
    expect(tip).not.toBe(scenario.headSha);
    expect(`${await git(scenario.origin, 'show', `${tip}:${file}`)}`).toBe(helmBytes);
    expect(`${await git(scenario.origin, 'show', `${tip}:${service}`)}`).toBe(serviceBytes);
    // Only the edited files go back: the record and the other files were already helm's.
    expect((await git(scenario.origin, 'diff', '--name-only', scenario.headSha, tip)).split('\n').sort()).toEqual([file, service].sort());
    const report = JSON.parse(json) as { handEdits: Array<{ path: string; cause: string }> };
    expect(report.handEdits.map(({ path, cause }) => [path, cause]).sort()).toEqual(
      [file, service].map((path) => [path.slice('manifests/'.length), 'hand-edit']).sort(),
    );

    await git(scenario.workspace, 'pull', '--quiet', '--ff-only');
    const second = await run(scenario, { headSha: tip });
    expect(second.exitCode, log(second)).toBe(0);
    expect(await branchTip(scenario)).toBe(tip);
    expect(second.stdout).toContain('up to date');
    expect(botComments(scenario)[0]!.body).not.toContain('hand-edit');
  });

  it("shows drift on main (a hand-edited file, files rendered from other values) as drift beside the pull request's own change, and restores them", async () => {
    const configMap = await committedFile('manifests/staging/web/configmap_');
    const deployment = await committedFile('manifests/staging/web/deployment.apps_');
    const mainBytes = await git(mainRepo, 'show', `HEAD:${configMap}`);
    const scenario = await openPullRequest(
      'drift',
      // The pull request changes the data release only.
      (author) =>
        writeFiles(author, {
          'charts/storage/templates/configmap.yaml': STORAGE_CHART['templates/configmap.yaml']!.replace(
            '  probe:',
            '  tier: "gold"\n  probe:',
          ),
        }),
      'branch',
      // Main moved without the action: a person edited a rendered file, and web's values changed without a render.
      (author) =>
        writeFiles(author, {
          [configMap]: mainBytes.replace(/^metadata:$/m, 'metadata:\n  annotations:\n    edited: on-main'),
          'environments/staging/web.yaml': stringify({ replicaCount: 3 }),
        }),
    );
    const result = await run(scenario);
    expect(result.exitCode, log(result)).toBe(0);
    const [comment] = botComments(scenario);
    expect(comment!.body).toMatch(
      /- \*\*drift\*\*: 2 resources \(the base's committed manifests are not what the base's inputs render; merge deploys the render\)/,
    );
    expect(comment!.body).toContain(`  - \`${configMap.slice('manifests/'.length)}\``);
    expect(comment!.body).toContain(`  - \`${deployment.slice('manifests/'.length)}\``);
    expect(comment!.body).toMatch(/ConfigMap.*cause: \*\*drift\*\*/);
    expect(comment!.body).not.toMatch(/data-probe.*cause:/);
    const tip = await branchTip(scenario);
    expect(await git(scenario.origin, 'show', `${tip}:${configMap}`)).toBe(mainBytes);
    expect(await git(scenario.origin, 'show', `${tip}:${deployment}`)).toContain('replicas: 3');
    expect(await git(scenario.origin, 'show', `${tip}:manifests/staging/data/configmap_data_data-probe.yaml`)).toContain('tier: "gold"');
  });

  it('annotates a value the chart ignores on its values file and lists it in the comment, without blocking', async () => {
    const scenario = await openPullRequest(
      'ignored-value',
      (author) =>
        writeFiles(author, {
          'environments/staging/web.yaml': 'replicaCount: 1\ningress:\n  enabled: true\n  hostname: app.example.org\n',
        }),
      'branch',
    );
    const result = await run(scenario);
    expect(result.exitCode, log(result)).toBe(0);
    expect(result.stdout).toContain(
      '::warning title=value the chart ignores,file=environments/staging/web.yaml,line=4::environments/staging/web.yaml:4: ingress.hostname is not a value of fixtures/webapp@1.0.0 (release web, environment staging); helm ignores it; did you mean ingress.host? [ignored-value]',
    );
    const [comment] = botComments(scenario);
    expect(comment!.body).toContain(
      '#### Values the charts ignore (1)\n\n- `environments/staging/web.yaml:4` `ingress.hostname`: not a value of fixtures/webapp@1.0.0 (staging/web); did you mean `ingress.host`?',
    );
  });

  it('comments the markdown `diff --format markdown` prints for the same pull request, findings and ignored values included', async () => {
    const scenario = await openPullRequest(
      'same-report',
      (author) =>
        writeFiles(author, {
          'helmfile/helmfile.yaml.gotmpl': helmfileText(repositoryUrl, '1.1.0'),
          'environments/staging/web.yaml': 'replicaCount: 1\ningress:\n  enabled: true\n  hostname: app.example.org\n',
          // A field a ConfigMap does not have: a validation finding the pull request introduces.
          'charts/storage/templates/configmap.yaml': `${STORAGE_CHART['templates/configmap.yaml']}spec:\n  probe: true\n`,
        }),
      'branch',
    );
    const result = await run(scenario, { inputs: { commit: 'false' } });
    const [comment] = botComments(scenario);
    const shared = ['--base', scenario.baseSha, '--head', scenario.headSha, '--kubernetes-schemas', schemas.baseUrl];
    const markdown = await diffOutput([...shared, '--format', 'markdown'], scenario.author);
    const summary = await diffOutput([...shared, '--format', 'markdown', '--budget', 'summary'], scenario.author);

    expect(markdown).toContain('#### Values the charts ignore (1)');
    expect(markdown).toMatch(/introduced/i);
    expect(markdown).toContain('ConfigMap');
    // The comment is the same text, after its marker and before what only the action says (the commit guard, the branch).
    expect(comment!.body.startsWith(`${MARKER}\n${markdown}\n`), `${comment!.body}\n---\n${markdown}`).toBe(true);
    expect(comment!.body.slice(MARKER.length + 1 + markdown.length)).toMatch(/^\n### :no_entry: Commit blocked\n/);
    expect(result.summary.startsWith(`${summary}\n`), `${result.summary}\n---\n${summary}`).toBe(true);
  });

  it('renders a fork pull request without pushing or commenting', async () => {
    const scenario = await openPullRequest(
      'fork',
      (author) => writeFiles(author, { 'helmfile/helmfile.yaml.gotmpl': helmfileText(repositoryUrl, '1.1.0') }),
      'merge',
    );
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
    const scenario = await openPullRequest(
      'broken',
      (author) => writeFiles(author, { 'helmfile/helmfile.yaml.gotmpl': helmfileText(repositoryUrl, '9.9.9') }),
      'branch',
    );
    const result = await run(scenario);
    expect(result.exitCode, log(result)).toBe(1);
    expect(await branchTip(scenario)).toBe(scenario.headSha);
    const [comment] = botComments(scenario);
    expect(comment!.body).toContain('release "web"');
    expect(comment!.body).toContain('Render failed');
    expect(result.stdout).toMatch(/::error::.*release "web"/);
    // Branch protection sees the failure on the head.
    expect(scenario.api.state.statuses.get(scenario.headSha)).toMatchObject([
      { state: 'failure', description: expect.stringMatching(/^render failed: (base|head): .*release "web"/) },
    ]);
  });

  it('blocks the deletion of a PersistentVolumeClaim until the pull request carries the label', async () => {
    const scenario = await openPullRequest(
      'pvc',
      (author) => writeFiles(author, { 'environments/staging/data.yaml': stringify({ persistence: { enabled: false } }) }),
      'merge',
    );
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
    expect(await git(scenario.origin, 'diff', '--name-status', scenario.headSha, tip)).toBe(
      'M\tmanifests/.helmfile-hydrate.json\nD\tmanifests/staging/data/persistentvolumeclaim_data_data-data.yaml',
    );
    expect(botComments(scenario)).toHaveLength(1);
    expect(botComments(scenario)[0]!.body).toContain('allowed by the `hydrate/allow-deletions` label');
    // The workspace was left as checkout left it: the detached merge commit, no new commits.
    expect(await git(scenario.workspace, 'status', '--porcelain')).toBe('');
  });

  it('holds back a change the API server refuses (a PersistentVolumeClaim shrink) until the pull request carries the risk label', async () => {
    const scenario = await openPullRequest(
      'risk',
      (author) => writeFiles(author, { 'environments/staging/data.yaml': stringify({ persistence: { size: '1Gi' } }) }),
      'branch',
    );
    const blocked = await run(scenario);
    expect(blocked.exitCode, log(blocked)).toBe(1);
    expect(await branchTip(scenario)).toBe(scenario.headSha);
    const [comment] = botComments(scenario);
    expect(comment!.body).toContain('#### Risks (1 risk: 1 high)');
    expect(comment!.body).toContain(
      '`PersistentVolumeClaim data/data-data` `spec.resources.requests.storage`: a PersistentVolumeClaim cannot shrink',
    );
    expect(comment!.body).toContain('`5Gi` → `1Gi`');
    // The real API server, given the base then the head, refuses it too: the rule's risk carries its verdict.
    expect(comment!.body).toContain(
      'the API server refuses it: PersistentVolumeClaim &quot;data-data&quot; is invalid: spec: Forbidden: spec is immutable after creation',
    );
    expect(comment!.body).toContain('_kube-apiserver 1.35.0 synced the change in staging (data): 1 object refused (listed under Risks)._');
    expect(comment!.body).toContain('Commit blocked');
    expect(comment!.body).toContain('add the label "hydrate/allow-risk" to the pull request and re-run the workflow');
    expect(blocked.stdout).toMatch(
      /::error::commit blocked:%0A- the change has 1 high risk \(listed under Risks\): api-server-refused on staging\/data PersistentVolumeClaim data\/data-data/,
    );
    expect(blocked.summary).toContain('#### Risks');
    // Annotated on the manifest file, as validation findings are.
    expect(blocked.stdout).toMatch(
      /::warning title=high risk%3A api-server-refused \(staging\/data\),file=manifests\/staging\/data\/persistentvolumeclaim_data_data-data\.yaml::PersistentVolumeClaim data-data spec\.resources\.requests\.storage: a PersistentVolumeClaim cannot shrink/,
    );

    scenario.api.state.labels.set(PR_NUMBER, ['dependencies', 'hydrate/allow-risk']);
    const allowed = await run(scenario);
    expect(allowed.exitCode, log(allowed)).toBe(0);
    const tip = await branchTip(scenario);
    expect(await git(scenario.origin, 'rev-parse', `${tip}^`)).toBe(scenario.headSha);
    expect(await git(scenario.origin, 'show', `${tip}:manifests/staging/data/persistentvolumeclaim_data_data-data.yaml`)).toContain(
      'storage: 1Gi',
    );
    expect(botComments(scenario)[0]!.body).toContain('Risks allowed by the `hydrate/allow-risk` label');
  });

  it('stops cleanly when the branch moved while it rendered', async () => {
    const scenario = await openPullRequest(
      'moved',
      (author) => writeFiles(author, { 'helmfile/helmfile.yaml.gotmpl': helmfileText(repositoryUrl, '1.1.0') }),
      'branch',
    );
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
    expect(scenario.api.state.statuses.get(scenario.headSha)).toMatchObject([
      { state: 'success', description: expect.stringMatching(/branch moved, nothing pushed$/) },
    ]);
  });

  it('pushes nothing to a branch its author reset to an older commit', async () => {
    const scenario = await openPullRequest(
      'rewound',
      (author) => writeFiles(author, { 'helmfile/helmfile.yaml.gotmpl': helmfileText(repositoryUrl, '1.1.0') }),
      'branch',
    );
    // The author drops the change while the run renders it: a fast-forward push would restore it.
    await git(scenario.author, 'push', '--quiet', '--force', 'origin', `${scenario.baseSha}:refs/heads/${PR_BRANCH}`);
    const result = await run(scenario);
    expect(result.exitCode, log(result)).toBe(0);
    expect(await branchTip(scenario)).toBe(scenario.baseSha);
    expect(result.outputs['commit-sha']).toBe('');
    expect(result.stdout).toContain(
      `::notice::Nothing was committed: \`${PR_BRANCH}\` was reset to an older commit (${scenario.baseSha.slice(0, 12)})`,
    );
    expect(botComments(scenario)[0]!.body).toContain('the dropped commits are not pushed back');
  });

  it('does not recreate a deleted branch', async () => {
    const scenario = await openPullRequest(
      'deleted',
      (author) => writeFiles(author, { 'helmfile/helmfile.yaml.gotmpl': helmfileText(repositoryUrl, '1.1.0') }),
      'branch',
    );
    await git(scenario.author, 'push', '--quiet', 'origin', `:refs/heads/${PR_BRANCH}`);
    const result = await run(scenario);
    expect(result.exitCode, log(result)).toBe(0);
    expect(await git(scenario.origin, 'for-each-ref', `refs/heads/${PR_BRANCH}`)).toBe('');
    expect(result.stdout).toContain('was deleted while this run rendered it; the branch is not recreated');
  });

  it('posts exactly one comment when GitHub answers 500, and retries the commit status', async () => {
    const scenario = await openPullRequest(
      'server-error',
      (author) => writeFiles(author, { 'helmfile/helmfile.yaml.gotmpl': helmfileText(repositoryUrl, '1.1.0') }),
      'branch',
    );
    scenario.api.injectFault({ method: 'POST', path: COMMENTS_PATH, status: 500, body: { message: 'Internal Server Error' } });
    scenario.api.injectFault({ method: 'POST', path: /\/statuses\//, status: 502, body: { message: 'Server Error' } });
    const result = await run(scenario);
    expect(result.exitCode, log(result)).toBe(0);
    const tip = await branchTip(scenario);
    expect(botComments(scenario)).toHaveLength(1);
    expect(scenario.api.writes().filter((write) => COMMENTS_PATH.test(write.url))).toHaveLength(2);
    expect(scenario.api.state.statuses.get(tip)).toMatchObject([{ state: 'success' }]);
  });

  it('waits out a secondary rate limit for its retry-after, then comments', async () => {
    const scenario = await openPullRequest(
      'rate-limit',
      (author) => writeFiles(author, { 'helmfile/helmfile.yaml.gotmpl': helmfileText(repositoryUrl, '1.1.0') }),
      'branch',
    );
    scenario.api.injectFault({
      method: 'POST',
      path: COMMENTS_PATH,
      status: 403,
      body: {
        message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.',
        documentation_url: 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api',
      },
      headers: { 'retry-after': '1' },
    });
    const result = await run(scenario);
    expect(result.exitCode, log(result)).toBe(0);
    expect(result.stdout).toMatch(
      /secondary rate limit applies to POST \/repos\/\{owner\}\/\{repo\}\/issues\/\{issue_number\}\/comments: waiting 1 s, then retrying/,
    );
    expect(botComments(scenario)).toHaveLength(1);
    expect(result.stdout).not.toMatch(/permissions:/);
  });

  it('fails with the permission to grant when the token may neither comment nor set statuses', async () => {
    const scenario = await openPullRequest(
      'forbidden',
      (author) => writeFiles(author, { 'helmfile/helmfile.yaml.gotmpl': helmfileText(repositoryUrl, '1.1.0') }),
      'branch',
    );
    scenario.api.state.tokens.set(INSTALLATION_TOKEN, { commentsAs: BOT, denied: ['pull_requests=write', 'statuses=write'] });
    const result = await run(scenario);
    expect(result.exitCode, log(result)).toBe(1);
    expect(botComments(scenario)).toHaveLength(0);
    expect(scenario.api.state.statuses.size).toBe(0);
    for (const text of [result.stdout, result.summary]) {
      expect(text).toContain(
        `posting the comment on pull request #${PR_NUMBER} failed: the token is not allowed to (403: Resource not accessible by integration; GitHub accepts pull_requests=write). Give the workflow \`permissions: pull-requests: write\``,
      );
      expect(text).toMatch(
        /setting the commit status helmfile-hydrate on [0-9a-f]{12} failed: the token is not allowed to .* Give the workflow `permissions: statuses: write`/,
      );
    }
    expect(result.stdout).not.toMatch(/rate limit/);
    // The report itself is still in the job summary.
    expect(result.summary).toContain('helmfile-hydrate: rendered manifests');
  });

  it('explains in the comment why a foreign file under manifests/ stops the commit', async () => {
    const scenario = await openPullRequest(
      'foreign-file',
      (author) =>
        writeFiles(author, {
          'helmfile/helmfile.yaml.gotmpl': helmfileText(repositoryUrl, '1.1.0'),
          'manifests/staging/web/NOTES.yaml': 'notes: keep one replica until the migration\n',
        }),
      'branch',
    );
    const result = await run(scenario);
    expect(result.exitCode, log(result)).toBe(1);
    expect(await branchTip(scenario)).toBe(scenario.headSha);
    const [comment] = botComments(scenario);
    expect(comment!.body).toContain('helmfile-hydrate failed (commit)');
    expect(comment!.body).toContain(
      '"staging/web/NOTES.yaml" is under a release directory of the output but was not written by helmfile-hydrate',
    );
    expect(comment!.body).toContain(
      '**What to do:** Release directories under `manifests/<environment>/<release>/` hold only rendered resources',
    );
    // The diff was computed before the commit failed: the reviewer still sees it.
    expect(comment!.body).toContain('staging');
    expect(scenario.api.state.statuses.get(scenario.headSha)).toMatchObject([
      { state: 'failure', description: expect.stringMatching(/^commit failed: manifests\/ on renovate\/webapp-1\.x holds a file/) },
    ]);
    expect(result.stdout).toMatch(/::error::commit failed: manifests\/ on renovate\/webapp-1\.x holds a file the action did not write/);
  });

  it("leaves no token where a helmfile exec could find it during the render, and puts checkout's credentials back", async () => {
    const name = 'token-search';
    const header = Buffer.from(`x-access-token:${INSTALLATION_TOKEN}`).toString('base64');
    const canary = 'canary-5f0c9d2e7b4a41d8';
    const split = (text: string) => [text.slice(0, 10), text.slice(10)] as const;
    const workspaceOf = join(scratch, name, 'workspace');
    // What a hostile chart or helmfile could run: look for the token (and the header checkout stores)
    // in the workspace with its git config, $HOME, RUNNER_TEMP and the environment. The canary is
    // planted in each place, to show the search looks where it says. No needle is written whole here.
    const search = [
      `t1=${split(INSTALLATION_TOKEN)[0]}; t2=${split(INSTALLATION_TOKEN)[1]}`,
      `h1=${split(header)[0]}; h2=${split(header)[1]}`,
      `c1=${split(canary)[0]}; c2=${split(canary)[1]}`,
      `workspace=${workspaceOf}`,
      'locate() {',
      '  where=',
      '  grep -rqsF -- "$1" "$workspace" && where="$where,workspace"',
      '  grep -rqsF -- "$1" "$HOME" && where="$where,home"',
      '  grep -rqsF -- "$1" "$RUNNER_TEMP" && where="$where,runner-temp"',
      '  env | grep -qF -- "$1" && where="$where,env"',
      '  git -C "$workspace" config --list --show-origin 2>/dev/null | grep -qF -- "$1" && where="$where,git-config"',
      '  printf %s "${where#,}"',
      '}',
      'printf "token:%s header:%s canary:%s" "$(locate "$t1$t2")" "$(locate "$h1$h2")" "$(locate "$c1$c2")"',
      '',
    ].join('\n');
    const helmfile = helmfileText(repositoryUrl, '1.1.0').replace(
      /probe: '[^']*'/,
      `probe: '{{ exec "sh" (list "-c" (readFile "search.sh")) }}'`,
    );
    expect(helmfile).toContain('readFile "search.sh"');
    const scenario = await openPullRequest(
      name,
      (author) => writeFiles(author, { 'helmfile/helmfile.yaml.gotmpl': helmfile, 'helmfile/search.sh': search }),
      'branch',
    );
    expect(scenario.workspace).toBe(workspaceOf);
    // actions/checkout with persist-credentials (its default): v4 writes the header into
    // .git/config, v6 into a file under RUNNER_TEMP that .git/config includes.
    const headerValue = `AUTHORIZATION: basic ${header}`;
    await git(scenario.workspace, 'config', '--local', 'http.https://github.example/.extraheader', headerValue);
    await git(scenario.workspace, 'config', '--local', 'hydrate.canary', canary);
    const home = await mkdtemp(join(tmpdir(), 'hydrate-home-'));
    await writeFiles(home, { '.canary': `${canary}\n` });
    let credentialsFile = '';
    let configBefore = '';
    const result = await run(scenario, {
      extraEnv: {
        HOME: home,
        HELMFILE_HYDRATE_CACHE: process.env.HELMFILE_HYDRATE_CACHE ?? join(process.env.HOME ?? '', '.cache', 'helmfile-hydrate'),
        HYDRATE_CANARY: canary,
      },
      beforeRun: async (runnerTemp) => {
        credentialsFile = join(runnerTemp, 'git-credentials-7d1c3f0e.config');
        await writeFiles(runnerTemp, {
          'git-credentials-7d1c3f0e.config': `[http "https://github.example/"]\n\textraheader = ${headerValue}\n`,
          'canary.txt': canary,
        });
        await git(scenario.workspace, 'config', '--local', `includeIf.gitdir:${scenario.workspace}/.git/.path`, credentialsFile);
        configBefore = await git(scenario.workspace, 'config', '--list', '--local');
      },
      afterRun: async () => {
        // Put back for the steps after this one, exactly as they were.
        expect(await git(scenario.workspace, 'config', '--list', '--local')).toBe(configBefore);
        expect(await readFile(credentialsFile, 'utf8')).toContain(headerValue);
      },
    });
    await rm(home, { recursive: true, force: true });
    expect(result.exitCode, log(result)).toBe(0);
    const tip = await branchTip(scenario);
    expect(await git(scenario.origin, 'show', `${tip}:manifests/staging/data/configmap_data_data-probe.yaml`)).toContain(
      'probe: "token: header: canary:workspace,home,runner-temp,env,git-config"',
    );
    expect(result.stdout).toContain('::notice::actions/checkout stored the token in the workspace');
    // Nowhere in the pushed commit, whole or as the header.
    for (const needle of [INSTALLATION_TOKEN, header]) {
      expect((await execa('git', ['grep', '-F', needle, tip], { cwd: scenario.origin, reject: false })).exitCode).toBe(1);
    }
  });

  it('fetches and pushes over HTTP with a GitHub App token given per command; the run its push starts is a no-op that passes', async () => {
    const appToken = 'ghs_apptoken000000000000000000000000000000';
    const appBot = 'hydrate-app[bot]';
    const scenario = await openPullRequest(
      'app-token',
      (author) => writeFiles(author, { 'helmfile/helmfile.yaml.gotmpl': helmfileText(repositoryUrl, '1.1.0') }),
      'merge',
    );
    const server = await startGitHttpServer({ root: join(scratch, 'app-token'), token: appToken });
    try {
      // actions/checkout with persist-credentials: false left no credentials; origin is GitHub over HTTP.
      const originUrl = `${server.url}/origin.git`;
      await git(scenario.workspace, 'remote', 'set-url', 'origin', originUrl);
      scenario.api.state.tokens.set(appToken, { commentsAs: appBot });
      const options = { inputs: { token: appToken, 'comment-author': appBot }, extraEnv: { GITHUB_SERVER_URL: server.url } };

      const first = await run(scenario, options);
      expect(first.exitCode, log(first)).toBe(0);
      const tip = await branchTip(scenario);
      expect(await git(scenario.origin, 'rev-parse', `${tip}^`)).toBe(scenario.headSha);
      // The depth-1 merge checkout lacked base and head: fetched, then pushed, every request with the token.
      expect(server.requests.some((request) => request.url.endsWith('/git-upload-pack'))).toBe(true);
      expect(server.requests.some((request) => request.url.endsWith('/git-receive-pack'))).toBe(true);
      expect(server.requests.every((request) => request.authorized)).toBe(true);
      expect(await git(scenario.workspace, 'config', '--list', '--show-origin')).not.toMatch(/extraheader|x-access-token/i);
      expect(botComments(scenario)).toHaveLength(0);
      expect((scenario.api.state.comments.get(PR_NUMBER) ?? []).filter((comment) => comment.user.login === appBot)).toHaveLength(1);
      expect(scenario.api.state.statuses.get(tip)).toEqual([
        expect.objectContaining({ state: 'success', context: 'helmfile-hydrate', creator: appBot }),
      ]);
      expect(
        first.stdout
          .split('\n')
          .filter((line) => !line.startsWith('::add-mask::'))
          .join('\n'),
      ).not.toContain(appToken);

      // The app's push starts the workflow on the manifests commit: a new job, a fresh checkout of the branch.
      const rerun = join(scratch, 'app-token', 'rerun');
      const header = `AUTHORIZATION: basic ${Buffer.from(`x-access-token:${appToken}`).toString('base64')}`;
      await git(scratch, '-c', `http.${server.url}/.extraheader=${header}`, 'clone', '--quiet', '--branch', PR_BRANCH, originUrl, rerun);
      const second = await run({ ...scenario, workspace: rerun }, { ...options, headSha: tip });
      expect(second.exitCode, log(second)).toBe(0);
      expect(await branchTip(scenario)).toBe(tip);
      expect(second.stdout).toContain('up to date');
      expect(scenario.api.state.statuses.get(tip)).toHaveLength(2);
      expect(scenario.api.state.statuses.get(tip)!.at(-1)).toMatchObject({
        state: 'success',
        description: expect.stringMatching(/manifests up to date$/),
        creator: appBot,
      });
      expect((scenario.api.state.comments.get(PR_NUMBER) ?? []).filter((comment) => comment.user.login === appBot)).toHaveLength(1);
    } finally {
      await server.close();
    }
  });

  it('uploads the full report as an artifact and links it when the comment is cut; a failed upload only warns', async () => {
    // 150 ConfigMaps of 40 lines each: far more diff than a comment holds.
    const bulk = [
      '{{- range $i := until 150 }}',
      '---',
      'apiVersion: v1',
      'kind: ConfigMap',
      'metadata:',
      '  name: bulk-{{ $i }}',
      '  namespace: {{ $.Release.Namespace }}',
      'data:',
      '  body: |',
      '    {{- range $n := until 40 }}',
      '    line {{ $n }} of map {{ $i }}',
      '    {{- end }}',
      '{{- end }}',
      '',
    ].join('\n');
    const scenario = await openPullRequest('cut', (author) => writeFiles(author, { 'charts/storage/templates/bulk.yaml': bulk }), 'branch');
    const token = runtimeToken('run-backend-e2e', 'job-backend-e2e');
    scenario.api.state.runtimeTokens.add(token);
    const runner = {
      ACTIONS_RUNTIME_TOKEN: token,
      ACTIONS_RESULTS_URL: scenario.api.url,
      GITHUB_SERVER_URL: 'https://github.com',
      GITHUB_RUN_ID: '9001',
      GITHUB_RUN_ATTEMPT: '1',
    };

    const uploaded = await run(scenario, { extraEnv: runner });
    expect(uploaded.exitCode, log(uploaded)).toBe(0);
    const artifact = scenario.api.state.artifacts.get('helmfile-hydrate-report-helmfile')!;
    expect(artifact).toMatchObject({ finalized: true, workflowRunBackendId: 'run-backend-e2e' });
    const [comment] = botComments(scenario);
    expect(comment!.body.length).toBeLessThanOrEqual(65_536);
    expect(comment!.body).toMatch(
      /\*\*\d+ more resources not shown\*\*: the full report is the \[helmfile-hydrate-report-helmfile artifact\]\(https:\/\/github\.com\/acme\/platform\/actions\/runs\/9001\/artifacts\/\d+\); also in the \[job summary\]\(https:\/\/github\.com\/acme\/platform\/actions\/runs\/9001\)\./,
    );
    // The artifact is the full report: every ConfigMap's diff.
    const zip = join(scratch, 'cut', 'report.zip');
    await writeFile(zip, artifact.content!);
    const report = execFileSync('unzip', ['-p', zip, 'report.md'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    for (const index of [0, 77, 149]) expect(report).toContain(`ConfigMap data/bulk-${index}\`** added`);
    expectNoSecrets(uploaded.stdout, uploaded.stderr, comment!.body, report);
    expect(`${uploaded.stdout}${uploaded.stderr}`).not.toContain(token);

    // A runner without the results service: the upload fails, the run does not, and the comment
    // points to the job summary.
    await git(scenario.workspace, 'pull', '--quiet', '--ff-only');
    const refused = await run(scenario, { headSha: await branchTip(scenario) });
    expect(refused.exitCode, log(refused)).toBe(0);
    expect(refused.stdout).toMatch(/::warning::could not upload the full report as an artifact/);
    expect(botComments(scenario)[0]!.body, log(refused)).toMatch(
      /\*\*\d+ more resources not shown\*\*: see the \[job summary\]\(https:\/\/github\.example\/acme\/platform\/actions\/runs\/4242\)\./,
    );
  });
});
