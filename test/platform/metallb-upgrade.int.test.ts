import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildChartMirror, createPlatformRepository } from '../../bench/platform/setup.js';
import { diffCommand } from '../../src/cli/diff-command.js';
import { formatResourceKey } from '../../src/model/resource-key.js';
import type { Risk } from '../../src/risk/types.js';
import { KUBERNETES_OPENAPI_DOCUMENTS } from '../support/kubernetes-openapi-server.js';
import { needsSharedCharts, SHARED_CHARTS } from '../support/shared-charts.js';
import { testToolchain } from '../support/toolchain.js';
import { addMetallbBump, METALLB_BUMP, METALLB_RELEASE } from './support/metallb-bump.js';
import { REPOSITORY_ROOT } from './support/platform.js';

/** Issue 31: the Risks section of a major upgrade fits one screen, and the diff keeps its room. */
const RISKS_SECTION_MAX_LINES = 25;
/** Issue 31: the whole comment of the MetalLB bump, in bytes. */
const COMMENT_MAX_BYTES = 20_000;

interface JsonReport {
  risks: Risk[];
}

/**
 * The real platform as Renovate's pull requests see it, through `helmfile-hydrate diff`: MetalLB
 * 0.15.3 -> 0.16.1 (the bumped chart made at test time from the real 0.15.3: support/metallb-bump.ts)
 * as the comment's markdown (the comment's budget, as the action posts it), the JSON and the text
 * report; and kube-prometheus-stack 79.5.0 -> 79.6.1 (bench/platform/setup.ts), whose comment the
 * grouping of risks leaves as it was.
 */
describe.skipIf(!SHARED_CHARTS)(needsSharedCharts('major and minor upgrades of the real platform, reported'), () => {
  let work: string;
  let comment: string;
  let text: string;
  let risks: Risk[];
  /** The kube-prometheus-stack 79.5.0 -> 79.6.1 bump's comment (a new Grafana image only). */
  let minorBumpComment: string;

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'hydrate-metallb-'));
    const toolchain = await testToolchain();
    try {
      const mirror = join(work, 'mirror');
      await buildChartMirror(SHARED_CHARTS!, mirror, join(work, 'chart-build'), toolchain.helm.path, toolchain.env);
      await addMetallbBump(mirror, SHARED_CHARTS!, join(work, 'chart-build'), toolchain.helm.path, toolchain.env);
      const platform = await createPlatformRepository(REPOSITORY_ROOT, join(work, 'platform'));
      const git = (...args: string[]) => execa('git', args, { cwd: platform.directory }).then((result) => result.stdout.trim());
      await git('checkout', '--quiet', '-b', 'renovate/metallb', platform.base);
      const helmfile = join(platform.directory, METALLB_BUMP.file);
      const before = await readFile(helmfile, 'utf8');
      if (!METALLB_BUMP.from.test(before)) throw new Error(`${METALLB_BUMP.file} no longer pins metallb ${METALLB_BUMP.from}`);
      await writeFile(helmfile, before.replace(METALLB_BUMP.from, METALLB_BUMP.to));
      await git('commit', '--quiet', '-am', METALLB_BUMP.message);
      const head = await git('rev-parse', 'HEAD');
      const schemas = `${join(KUBERNETES_OPENAPI_DOCUMENTS, '{minor}', 'api', 'openapi-spec', 'v3')}/`;
      const tools = ['--helm', toolchain.helm.path, '--helmfile-binary', toolchain.helmfile.path, '--no-values-check'];
      const shared = ['--base', platform.base, '--chart-mirror', mirror, '--kubernetes-schemas', schemas, '--no-api-server', ...tools];
      // The markdown is the comment's text, cut to the comment's budget as the action posts it.
      const run = async (commit: string, format: string) => {
        const out: string[] = [];
        const err: string[] = [];
        const code = await diffCommand(
          [...shared, '--head', commit, '--format', format],
          { out: (chunk) => out.push(chunk), err: (chunk) => err.push(chunk) },
          platform.directory,
        );
        expect(code, err.join('')).toBe(0);
        return out.join('');
      };
      risks = (JSON.parse(await run(head, 'json')) as JsonReport).risks;
      comment = await run(head, 'markdown');
      text = await run(head, 'text');
      minorBumpComment = await run(platform.bump, 'markdown');
    } finally {
      await toolchain.remove();
    }
  }, 900_000);
  afterAll(() => (work ? rm(work, { recursive: true, force: true }) : undefined));

  const risksSection = () => {
    const start = comment.indexOf('#### Risks');
    const end = comment.indexOf('\n#### ', start + 1);
    return comment.slice(start, end === -1 ? undefined : end + 1);
  };

  it('finds the risks of a major upgrade, each in the JSON with every detail', () => {
    const rules = new Set(risks.map((risk) => risk.rule));
    for (const rule of ['node-agent-rollout', 'rbac-widened', 'privilege-added', 'admission-webhook', 'image-major-bump'] as const)
      expect(rules, rule).toContain(rule);
    expect(risks.filter((risk) => risk.rule === 'rbac-widened').length).toBeGreaterThan(10);
    for (const risk of risks.filter((candidate) => candidate.rule === 'rbac-widened' && candidate.gained))
      expect(risk.notable, risk.field).toBeDefined();
  });

  it(`keeps the Risks section within ${RISKS_SECTION_MAX_LINES} lines, naming every high risk and every rule`, () => {
    const section = risksSection();
    const lines = section.replace(/\n+$/, '').split('\n');
    expect(lines.length, section).toBeLessThanOrEqual(RISKS_SECTION_MAX_LINES);
    expect(section).toMatch(new RegExp(`^#### Risks \\(${risks.length} risks: `));
    for (const rule of new Set(risks.map((risk) => risk.rule))) expect(section).toContain(`[\`${rule}\`](`);
    const high = risks.filter((risk) => risk.severity === 'high');
    expect(high.length).toBeGreaterThan(0);
    for (const risk of high) expect(section).toContain(`\`${formatResourceKey(risk.resource)}\``);
    // What to do is said once per group: no entry repeats its group's.
    for (const header of section.match(/^- :.*$/gm)!) {
      const fix = header.slice(header.indexOf(' To do: '));
      expect(section.split(fix), fix).toHaveLength(2);
    }
  });

  it(`keeps the comment within ${COMMENT_MAX_BYTES} bytes, with the diff of the changed workloads`, () => {
    expect(Buffer.byteLength(comment, 'utf8')).toBeLessThanOrEqual(COMMENT_MAX_BYTES);
    for (const workload of ['DaemonSet.apps metallb-system/metallb-speaker', 'Deployment.apps metallb-system/metallb-controller'])
      expect(comment).toMatch(new RegExp(`^\\*\\*\`${workload}\`\\*\\* changed`, 'm'));
  });

  it('gives the text report the same groups, every resource and rule with what it gains', () => {
    expect(text).toContain(`  [high] node-agent-rollout (`);
    expect(text).toMatch(/^ {2}\[medium\] rbac-widened \(\d+ risks; https:\/\/\S+#rbac-widened\)\n {4}to do: /m);
    for (const risk of risks.filter((candidate) => candidate.rule === 'rbac-widened' && candidate.gained)) {
      expect(text).toContain(`/${METALLB_RELEASE} ${formatResourceKey(risk.resource)}`);
      expect(text).toMatch(new RegExp(`^ {6}${risk.field!.replace(/[[\]]/g, '\\$&')}: `, 'm'));
    }
    // What to do is said once per group.
    expect(text.match(/^ {4}to do: /gm)!.length).toBe(text.match(/^ {2}\[(high|medium|low)\] /gm)!.length);
  });

  it('leaves the comment of a bump without risks as it was: no Risks section', () => {
    // The grouping changes the Risks section only; kube-prometheus-stack's bump (a new Grafana image) has none.
    expect(minorBumpComment).not.toContain('#### Risks');
    expect(minorBumpComment).toMatch(/^\*\*`Deployment.apps monitoring\/kube-prometheus-stack-grafana`\*\* changed \(\+1 -1\)/m);
  });
});
