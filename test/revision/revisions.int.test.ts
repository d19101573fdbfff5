import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { diffCommand } from '../../src/cli/diff-command.js';
import type { Terminal } from '../../src/cli/terminal.js';
import { diffManifests } from '../../src/diff/diff-manifests.js';
import { renderRevisions } from '../../src/compare/render-sides.js';
import { GitRepository } from '../../src/git/git.js';
import { hydrate } from '../../src/render/render.js';
import { parseChartMirror } from '../../src/render/chart-mirror.js';
import { buildCommentBody, buildJobSummary, buildMarkdownReport } from '../../src/report/markdown.js';
import { buildJsonReport } from '../../src/report/json.js';
import { buildTextReport } from '../../src/report/text.js';
import { GITHUB_COMMENT_MAX_CHARACTERS } from '../../src/report/limits.js';
import type { ReportInput } from '../../src/report/report-input.js';
import { GitopsRepo, type FixtureRelease, type FixtureRepoSpec } from '../support/gitops-repo.js';
import { isolatedHelmEnv } from '../support/helm-home.js';
import { testToolchain } from '../support/toolchain.js';
import { b64, countClosedFences } from '../diff/manifest-builder.js';
import { KUBERNETES_OPENAPI_DOCUMENTS } from '../support/kubernetes-openapi-server.js';

/** The pinned Kubernetes OpenAPI documents, read from disk: `diff` validates both sides. */
const LOCAL_SCHEMAS = `${join(KUBERNETES_OPENAPI_DOCUMENTS, '{minor}', 'api', 'openapi-spec', 'v3')}/`;

type Toolchain = Awaited<ReturnType<typeof testToolchain>>;

const MARKER = '<!-- helmfile-hydrate -->';
const PASSWORD_CANARY = 'Canary-Password-4b1d9e-never-shown';
const CONFIG_CANARY = 'canary-dsn-77aa01-never-shown';
const canaryForms = [PASSWORD_CANARY, b64(PASSWORD_CANARY), CONFIG_CANARY, b64(CONFIG_CANARY)];

/** A local chart rendering one ConfigMap with a fixed name: moving it between releases keeps its identity. */
const SHARED_CHART = {
  'helmfile/charts/shared/Chart.yaml': 'apiVersion: v2\nname: shared\nversion: 0.1.0\n',
  'helmfile/charts/shared/templates/cm.yaml':
    'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: shared-config\ndata:\n  owner: platform\n',
};
/** A local chart rendering many large ConfigMaps whose content follows one value: a diff too big for a comment. */
const BULK_CHART = {
  'helmfile/charts/bulk/Chart.yaml': 'apiVersion: v2\nname: bulk\nversion: 0.1.0\n',
  'helmfile/charts/bulk/templates/cms.yaml': [
    '{{- range $i := until 150 }}',
    '---',
    'apiVersion: v1',
    'kind: ConfigMap',
    'metadata:',
    '  name: bulk-{{ $i }}',
    'data:',
    '  body: |',
    '    {{- range $n := until 40 }}',
    '    line {{ $n }} of map {{ $i }} revision {{ $.Values.revision }} ``` fence-like',
    '    {{- end }}',
    '{{- end }}',
    '',
  ].join('\n'),
};

describe('diff of two commits with the real git and helmfile', () => {
  let toolchain: Toolchain;
  let repo: GitopsRepo;
  const commits: Record<string, string> = {};
  const web: FixtureRelease = {
    name: 'web',
    namespace: 'apps',
    chart: 'webapp',
    version: '1.0.0',
    values: { adminPassword: 'old-password-value', config: { DB_DSN: 'postgres://old' } },
  };
  const cache: FixtureRelease = { name: 'cache', namespace: 'apps', chart: 'webapp', version: '1.0.0' };
  const csi: FixtureRelease = { name: 'csi', namespace: 'storage', chart: 'csi-driver', version: '2.0.0' };
  let spec: (releases: FixtureRelease[]) => FixtureRepoSpec;

  const compare = async (base: string, head: string) => {
    const revisions = await renderRevisions(
      { repository: repo.dir, base: commits[base]!, head: commits[head]!, helmfile: 'helmfile' },
      toolchain,
    );
    const diff = diffManifests(revisions.base.environments, revisions.head.environments);
    const input: ReportInput = { diff, base: { ref: base, sha: revisions.base.sha }, head: { ref: head, sha: revisions.head.sha } };
    return { revisions, diff, input };
  };

  beforeAll(async () => {
    toolchain = await testToolchain();
    spec = (releases) => ({ repositoryUrl: inject('chartRepositoryUrl'), environments: ['production'], releases });
    repo = await GitopsRepo.create(spec([web, cache]));
    commits.initial = await repo.git('rev-parse', 'HEAD');
    // Renovate-style bump, with a new admin password and DSN (canaries) in the same change.
    const bumped = { ...web, version: '1.1.0', values: { adminPassword: PASSWORD_CANARY, config: { DB_DSN: CONFIG_CANARY } } };
    await repo.writeSpec(spec([bumped, cache]));
    commits.bump = await repo.commit('chore(deps): update webapp to 1.1.0');
    await repo.writeSpec(spec([bumped, csi]));
    commits.swap = await repo.commit('replace cache by csi');
    for (const [path, content] of Object.entries({ ...SHARED_CHART, ...BULK_CHART })) await repo.write(path, content);
    await repo.writeSpec(
      spec([
        bumped,
        csi,
        { name: 'alpha', namespace: 'apps', chart: './charts/shared' },
        { name: 'bulk', namespace: 'apps', chart: './charts/bulk', values: { revision: 1 } },
      ]),
    );
    commits.alpha = await repo.commit('shared config in alpha');
    await repo.writeSpec(
      spec([
        bumped,
        csi,
        { name: 'beta', namespace: 'apps', chart: './charts/shared' },
        { name: 'bulk', namespace: 'apps', chart: './charts/bulk', values: { revision: 2 } },
      ]),
    );
    commits.beta = await repo.commit('shared config moves to beta; bulk revision 2');
  });
  afterAll(async () => {
    await repo?.remove();
    await toolchain?.remove();
  });

  it('summarizes a chart bump: label-only resources on one line, image and real changes shown, secrets masked', async () => {
    const { diff, input } = await compare('initial', 'bump');
    const production = diff.environments[0]!;
    const release = production.releases.find((r) => r.name === 'web')!;
    expect(release.base?.version).toBe('1.0.0');
    expect(release.head?.version).toBe('1.1.0');
    // Service only carries chart labels; the Secret and ConfigMap change for real (masked).
    expect(production.noiseOnly.count).toBeGreaterThanOrEqual(1);
    expect(production.noiseOnly.categories).toContain('chart-labels');
    expect(release.resources.find((r) => r.key.kind === 'Service')!.noiseOnly).toBe(true);
    const deployment = release.resources.find((r) => r.key.kind === 'Deployment')!;
    expect(deployment.patch).toContain('+        readinessProbe:');
    expect(deployment.patch).not.toMatch(/helm\.sh\/chart|app\.kubernetes\.io\/version|checksum\//);
    expect(production.images.map((i) => [i.release, i.base, i.head])).toEqual([
      ['web', 'registry.example.com/library/nginx:1.27.0', 'registry.example.com/library/nginx:1.28.0'],
    ]);
    const cacheRelease = production.releases.find((r) => r.name === 'cache')!;
    expect(cacheRelease.status).toBe('unchanged');
    const secret = release.resources.find((r) => r.key.kind === 'Secret')!;
    expect(secret.patch).toMatch(/\+ {2}admin-password: "<secret: changed, 18 -> 34 bytes>"/);

    const comment = buildCommentBody(input, { marker: MARKER }).body;
    expect(comment).toContain('production**: 1 release changed, 1 chart upgraded');
    expect(comment).toMatch(/\d+ resources? changed only in chart\/version labels/);
    const outputs = {
      comment,
      summary: buildJobSummary(input).body,
      file: buildMarkdownReport(input).body,
      text: buildTextReport(input),
      json: buildJsonReport(input),
    };
    for (const [name, output] of Object.entries(outputs)) {
      for (const form of canaryForms) expect(output, `${name} leaks ${form}`).not.toContain(form);
    }

    // The command line, with every log line it writes.
    const captured: string[] = [];
    const terminal: Terminal = { out: (t) => captured.push(t), err: (t) => captured.push(t) };
    const helmHome = await isolatedHelmEnv();
    const saved = { ...process.env };
    Object.assign(process.env, helmHome.env);
    try {
      const code = await diffCommand(
        [
          '--base',
          commits.initial!,
          '--head',
          commits.bump!,
          '--format',
          'json',
          '--helm',
          inject('helmPath'),
          '--helmfile-binary',
          inject('helmfilePath'),
          '--kubernetes-schemas',
          LOCAL_SCHEMAS,
        ],
        terminal,
        repo.dir,
      );
      expect(code).toBe(0);
    } finally {
      for (const name of Object.keys(helmHome.env)) {
        if (saved[name] === undefined) delete process.env[name];
        else process.env[name] = saved[name];
      }
      await helmHome.remove();
    }
    const log = captured.join('\n');
    expect(log).toContain('"status": "changed"');
    for (const form of canaryForms) expect(log).not.toContain(form);
    // Worktrees are gone.
    expect((await new GitRepository(repo.dir).run(['worktree', 'list'])).split('\n')).toHaveLength(1);
  });

  it('shows an added and a removed release', async () => {
    const { diff, input } = await compare('bump', 'swap');
    const releases = diff.environments[0]!.releases;
    expect(releases.map((r) => [r.name, r.status])).toEqual([
      ['cache', 'removed'],
      ['csi', 'added'],
      ['web', 'unchanged'],
    ]);
    expect(releases[0]!.counts.removed).toBe(4);
    expect(releases[1]!.counts.added).toBe(5);
    const body = buildCommentBody(input).body;
    expect(body).toContain('| cache (removed) | fixtures/webapp | 1.0.0 | +0 -4 ~0 |');
    expect(body).toContain('| csi (new) | fixtures/csi-driver | 2.0.0 | +5 -0 ~0 |');
    expect(body).toContain('`StorageClass.storage.k8s.io block`** added');
  });

  it('detects a resource moving between releases, and cuts a huge diff to fit the comment', async () => {
    const { diff, input } = await compare('alpha', 'beta');
    const releases = diff.environments[0]!.releases;
    const beta = releases.find((r) => r.name === 'beta')!;
    expect(beta.resources).toEqual([
      expect.objectContaining({
        key: { group: '', kind: 'ConfigMap', namespace: 'apps', name: 'shared-config' },
        moved: true,
        status: 'unchanged',
        baseRelease: 'alpha',
      }),
    ]);
    expect(releases.find((r) => r.name === 'alpha')!.counts.movedOut).toBe(1);

    const comment = buildCommentBody(input, { marker: MARKER });
    expect(comment.body.length).toBeLessThanOrEqual(GITHUB_COMMENT_MAX_CHARACTERS);
    expect(comment.omittedResources).toBeGreaterThan(0);
    expect(countClosedFences(comment.body)).toBe(comment.body.split('\n').filter((line) => line.startsWith('````diff')).length);
    expect(comment.body).toMatch(/\*\*\d+ more resources not shown\*\*/);
    expect(comment.body).toContain('moved from release `alpha`, content unchanged');
    const summary = buildJobSummary(input);
    expect(summary.omittedResources).toBe(0);
  });
  it('reads the base from its committed manifests (what merge deploys), with the same result as rendering it', async () => {
    await repo.writeSpec(spec([web, cache]));
    await hydrate({ helmfile: repo.helmfile, outputDir: repo.manifests, cwd: repo.dir }, toolchain);
    commits.hydrated = await repo.commit('hydrated manifests');
    await repo.writeSpec(spec([{ ...web, version: '1.1.0' }, cache]));
    commits.bumpOnHydrated = await repo.commit('bump on top of committed manifests');
    const settings = { repository: repo.dir, base: commits.hydrated!, head: commits.bumpOnHydrated!, helmfile: 'helmfile' };
    const trusted = await renderRevisions({ ...settings, committedManifests: 'manifests' }, toolchain);
    const rendered = await renderRevisions(settings, toolchain);
    expect(trusted.base.source).toBe('committed-manifests');
    expect(rendered.base.source).toBe('render');
    // Chart and version of the committed side come from `helmfile list` on the base.
    expect(trusted.base.environments[0]!.releases.find((r) => r.release.name === 'web')!.release.version).toBe('1.0.0');
    const summary = (d: ReturnType<typeof diffManifests>) =>
      d.environments.flatMap((e) => e.releases.flatMap((r) => r.resources.map((c) => [r.name, c.key.kind, c.status, c.patch])));
    expect(summary(diffManifests(trusted.base.environments, trusted.head.environments))).toEqual(
      summary(diffManifests(rendered.base.environments, rendered.head.environments)),
    );
  });
});

describe('diff of two commits through a chart mirror', () => {
  it('renders both commits from the mirror when the helmfile names an unreachable repository', async () => {
    const toolchain = await testToolchain();
    // `.invalid` never resolves: both sides can only render through the mirror.
    const spec = (version: string): FixtureRepoSpec => ({
      repositoryUrl: 'https://charts.invalid/stable',
      environments: ['production'],
      releases: [{ name: 'web', namespace: 'apps', chart: 'webapp', version }],
    });
    const repo = await GitopsRepo.create(spec('1.0.0'));
    try {
      const base = await repo.git('rev-parse', 'HEAD');
      await repo.writeSpec(spec('1.1.0'));
      const head = await repo.commit('chore(deps): update webapp to 1.1.0');
      const chartMirror = parseChartMirror([`https://charts.invalid/stable=${inject('chartRepositoryUrl')}`], repo.dir);
      const revisions = await renderRevisions({ repository: repo.dir, base, head, helmfile: 'helmfile', chartMirror }, toolchain);
      expect(revisions.base.environments[0]!.releases.map((release) => `${release.release.name} ${release.release.version}`)).toEqual([
        'web 1.0.0',
      ]);
      expect(revisions.head.environments[0]!.releases.map((release) => `${release.release.name} ${release.release.version}`)).toEqual([
        'web 1.1.0',
      ]);
      expect(revisions.head.environments[0]!.releases[0]!.resources.length).toBeGreaterThan(0);
    } finally {
      await repo.remove();
      await toolchain.remove();
    }
  });
});
