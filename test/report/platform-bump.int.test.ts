import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diffManifests } from '../../src/diff/diff-manifests.js';
import { renderRevisions } from '../../src/compare/render-sides.js';
import { buildCommentBody } from '../../src/report/markdown.js';
import { buildJsonReport } from '../../src/report/json.js';
import { buildTextReport } from '../../src/report/text.js';
import type { ReportInput } from '../../src/report/report-input.js';
import { startChartRepository, type ChartRepository } from '../support/chart-repository.js';
import { needsSharedCharts, SHARED_CHARTS } from '../support/shared-charts.js';
import { GitopsRepo, type FixtureRepoSpec } from '../support/gitops-repo.js';
import { testToolchain } from '../support/toolchain.js';
import { environment as yamlEnvironment } from '../validate/fixtures.js';

/** The real upstream chart (read-only shared data: extracted into a temporary directory at test time, never copied into the project). */
const UPSTREAM = join(SHARED_CHARTS ?? '', 'prometheus-community', 'kube-prometheus-stack-79.5.0.tgz');
const CHART = 'kube-prometheus-stack';

/**
 * A Renovate bump of kube-prometheus-stack 79.5.0 -> 79.6.1 whose only real change is Grafana's
 * image (its subchart 10.1.4 -> 10.1.5, app 12.2.1 -> 12.2.2), built from the real 79.5.0:
 * re-versioned and packaged with the real helm into a chart repository next to the original.
 */
async function bumpedChartsRoot(root: string): Promise<void> {
  for (const version of ['79.5.0', '79.6.1']) {
    const directory = join(root, CHART, version);
    await mkdir(directory, { recursive: true });
    await execa('tar', ['-xzf', UPSTREAM, '-C', directory, '--strip-components=1']);
  }
  const bumped = join(root, CHART, '79.6.1');
  const edit = async (path: string, replacements: Array<[RegExp, string]>) => {
    let text = await readFile(join(bumped, path), 'utf8');
    for (const [pattern, replacement] of replacements) {
      if (!pattern.test(text)) throw new Error(`${path} no longer matches ${pattern}: the upstream chart changed`);
      text = text.replace(pattern, replacement);
    }
    await writeFile(join(bumped, path), text);
  };
  await edit('Chart.yaml', [
    [/^version: 79\.5\.0$/m, 'version: 79.6.1'],
    [/(- condition: grafana\.enabled\n\s+name: grafana\n\s+repository: \S+\n\s+version: )10\.1\.4/, '$110.1.5'],
  ]);
  await edit('charts/grafana/Chart.yaml', [
    [/^version: 10\.1\.4$/m, 'version: 10.1.5'],
    [/^appVersion: 12\.2\.1$/m, 'appVersion: 12.2.2'],
  ]);
}

describe.skipIf(!SHARED_CHARTS)(needsSharedCharts('a real kube-prometheus-stack bump, reported'), () => {
  let toolchain: Awaited<ReturnType<typeof testToolchain>>;
  let repository: ChartRepository;
  let repo: GitopsRepo;
  let chartsRoot: string;
  let input: ReportInput;

  beforeAll(async () => {
    toolchain = await testToolchain();
    chartsRoot = await mkdtemp(join(tmpdir(), 'hydrate-kps-charts-'));
    await bumpedChartsRoot(chartsRoot);
    repository = await startChartRepository(toolchain.helm.path, chartsRoot, toolchain.env);
    // Grafana generates an admin password on every render unless one is set: a platform sets it.
    const spec = (version: string): FixtureRepoSpec => ({
      repositoryUrl: repository.url,
      environments: ['production', 'staging'],
      releases: [
        {
          name: 'monitoring',
          namespace: 'monitoring',
          chart: CHART,
          version,
          values: { grafana: { adminPassword: 'set-by-the-platform-4d2c' } },
        },
      ],
    });
    repo = await GitopsRepo.create(spec('79.5.0'));
    const base = await repo.git('rev-parse', 'HEAD');
    await repo.writeSpec(spec('79.6.1'));
    const head = await repo.commit('chore(deps): update helm release kube-prometheus-stack to v79.6.1');
    const revisions = await renderRevisions({ repository: repo.dir, base, head, helmfile: 'helmfile' }, toolchain);
    input = {
      diff: diffManifests(revisions.base.environments, revisions.head.environments),
      base: { ref: 'main', sha: base },
      head: { ref: 'renovate', sha: head },
    };
  }, 600_000);

  afterAll(async () => {
    await repo?.remove();
    await repository?.close();
    await toolchain?.remove();
    if (chartsRoot) await rm(chartsRoot, { recursive: true, force: true });
  });

  it('shows the real change only, once, with names unmasked', () => {
    const comment = buildCommentBody(input, { marker: '<!-- kps -->' }).body;
    const production = input.diff.environments.find((environment) => environment.environment === 'production')!;
    const release = production.releases[0]!;
    // Most resources carry the chart's version in labels: they are counted, not shown.
    expect(release.counts.noiseOnly).toBeGreaterThan(50);
    expect(release.counts).toMatchObject({ added: 0, removed: 0, changed: 1 });

    // The diff blocks: Grafana's Deployment, once (staging has the same changes), and its only
    // changed lines are the image.
    const headings = comment.split('\n').filter((line) => /^\*\*(`|\d+ resources)/.test(line));
    expect(headings).toEqual(['**`Deployment.apps monitoring/monitoring-grafana`** changed (+1 -1); also chart/version labels (hidden)']);
    const diffLines = [...comment.matchAll(/^```+diff\n([\s\S]*?)^```+$/gm)].flatMap((match) => match[1]!.split('\n'));
    const changedLines = diffLines.filter((line) => line.startsWith('-') || line.startsWith('+'));
    expect(changedLines).toEqual(['-        image: docker.io/grafana/grafana:12.2.1', '+        image: docker.io/grafana/grafana:12.2.2']);
    expect(comment).toContain('- **staging**: same changes as production');
    expect(comment).toContain(`| monitoring | fixtures/${CHART} | 79.5.0 → 79.6.1 | +0 -0 ~1, ${release.counts.noiseOnly} version-only |`);
    expect(comment).toContain(
      '| `docker.io/grafana/grafana:12.2.1` → `docker.io/grafana/grafana:12.2.2` | production, staging | monitoring: `Deployment.apps monitoring/monitoring-grafana` (grafana) |',
    );
    expect(comment.length).toBeLessThan(6_000);

    // No name is ever masked, in any report.
    for (const text of [comment, buildTextReport(input), buildJsonReport(input)]) expect(text).not.toContain('<redacted>');
    expect(comment).not.toContain('set-by-the-platform-4d2c');
  });
});

const CILIUM = join(SHARED_CHARTS ?? '', 'cilium', 'cilium-1.19.0.tgz');

describe.skipIf(!SHARED_CHARTS)(needsSharedCharts('the real cilium chart rendered twice'), () => {
  it('counts its regenerated CA and certificates as noise, nothing to show', async () => {
    const toolchain = await testToolchain();
    try {
      // Hubble's TLS with `method: helm` makes the chart generate a CA and certificates on every render.
      const render = async () =>
        (
          await execa(
            toolchain.helm.path,
            [
              'template',
              'cilium',
              CILIUM,
              '--namespace',
              'kube-system',
              '--set',
              'hubble.relay.enabled=true',
              '--set',
              'hubble.tls.auto.method=helm',
            ],
            { env: toolchain.env },
          )
        ).stdout;
      const [first, second] = [await render(), await render()];
      expect(first).not.toBe(second);
      const diff = diffManifests([yamlEnvironment('production', { cilium: first })], [yamlEnvironment('production', { cilium: second })]);
      expect(diff.environments[0]!.noiseOnly.categories).toEqual(['generated-certificates']);
      expect(diff.environments[0]!.noiseOnly.count).toBeGreaterThanOrEqual(3);
      const comment = buildCommentBody({ diff }).body;
      expect(comment).toMatch(/no changes in production \(\d+ resources changed only in generated certificates\)/);
    } finally {
      await toolchain.remove();
    }
  });

  it('lists an agent image bump once, with every container it runs in, digest shortened', async () => {
    const toolchain = await testToolchain();
    try {
      const render = async (tag: string, digest: string) =>
        (
          await execa(
            toolchain.helm.path,
            ['template', 'cilium', CILIUM, '--namespace', 'kube-system', '--set', `image.tag=${tag}`, '--set', `image.digest=${digest}`],
            { env: toolchain.env },
          )
        ).stdout;
      const newDigest = `sha256:${'0123abcd'.repeat(8)}`;
      const before = await render('v1.19.0', 'sha256:be9f8571c2e114b3e12e41f785f2356ade703b2eac936aa878805565f0468c60');
      const after = await render('v1.19.1', newDigest);
      const environments = (text: string) =>
        ['production', 'staging'].map((name) => yamlEnvironment(name, { cilium: text }, 'kube-system'));
      const diff = diffManifests(environments(before), environments(after));
      const comment = buildCommentBody({ diff }).body;
      const rows = comment.split('\n').filter((line) => line.startsWith('| `quay.io/cilium/cilium:'));
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatch(
        /^\| `quay\.io\/cilium\/cilium:v1\.19\.0@sha256:be9f8571…` → `quay\.io\/cilium\/cilium:v1\.19\.1@sha256:0123abcd…` \| production, staging \| cilium: `DaemonSet\.apps kube-system\/cilium` \(cilium-agent(, init:[a-z-]+)+\)/,
      );
      expect(comment).toContain('- **staging**: same changes as production');
      expect(comment).toContain('#### Container images (1)');
    } finally {
      await toolchain.remove();
    }
  });
});
