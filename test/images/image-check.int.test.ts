import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { freeLoopbackPort } from '../../src/apiserver/free-port.js';
import { diffCommand } from '../../src/cli/diff-command.js';
import type { Terminal } from '../../src/cli/terminal.js';
import { compareRevisions, type Comparison } from '../../src/compare/compare.js';
import { comparisonMarkdown, comparisonReportInput } from '../../src/compare/report.js';
import type { CompareSettings } from '../../src/compare/settings.js';
import { imageCheck } from '../../src/images/image-check-stage.js';
import { lookUpImages } from '../../src/images/registry-lookup.js';
import { buildJsonReport } from '../../src/report/json.js';
import { blockingRisks } from '../../src/risk/gate.js';
import type { Risk } from '../../src/risk/types.js';
import { prepareToolchain, type Toolchain } from '../../src/tools/toolchain.js';
import { GitopsRepo, type FixtureRepoSpec } from '../support/gitops-repo.js';
import { isolatedHelmEnv } from '../support/helm-home.js';
import { KUBERNETES_OPENAPI_DOCUMENTS } from '../support/kubernetes-openapi-server.js';
import { OciRegistry } from '../support/oci-registry.js';

/** The pinned Kubernetes OpenAPI documents, read from disk: the comparison validates both sides. */
const LOCAL_SCHEMAS = `${join(KUBERNETES_OPENAPI_DOCUMENTS, '{minor}', 'api', 'openapi-spec', 'v3')}/`;

/** `edge` runs arm64 nodes, `production` amd64 (the node declaration is wired in by the caller). */
const NODE_ARCHITECTURES: Record<string, readonly string[]> = { production: ['amd64'], edge: ['arm64'] };

const imageRules = (risks: readonly Risk[]) =>
  risks
    .filter((risk) => risk.rule.startsWith('image-') && risk.rule !== 'image-major-bump')
    .map((risk) => `${risk.environment} ${risk.rule}`);

/**
 * The image check on real renders of the fixture chart webapp, against a real OCI registry on
 * 127.0.0.1 holding `app:1` (linux/amd64 only) and `app:2` (an index: linux/amd64, linux/arm64);
 * `app:3` was never pushed. Each pull request moves the webapp's image tag.
 */
describe('the image check on a fixture bump, against a real registry', () => {
  let registry: OciRegistry;
  let repo: GitopsRepo;
  let toolchain: Toolchain;
  let removeHelmHome: () => Promise<void>;
  let cacheDirectory: string;
  let commits: Record<'base' | 'missing' | 'amd64Only' | 'multiArch' | 'refused', string>;
  /** How long each comparison's image stage took: head commit and milliseconds, in order. */
  const imageStageMs: [string, number][] = [];

  const spec = (repository: string, tag: string): FixtureRepoSpec => ({
    repositoryUrl: inject('chartRepositoryUrl'),
    environments: ['production', 'edge'],
    releases: [{ name: 'web', namespace: 'apps', chart: 'webapp', version: '1.0.0', values: { image: { repository, tag } } }],
  });

  async function commitSpec(repository: string, tag: string): Promise<string> {
    await repo.writeSpec(spec(repository, tag));
    return repo.commit(`web: image ${repository}:${tag}`);
  }

  beforeAll(async () => {
    registry = await OciRegistry.start();
    const amd64 = await registry.pushImage('app', '1', 'linux/amd64');
    const arm64 = await registry.pushImage('app-parts', 'arm64', 'linux/arm64');
    await registry.pushIndex('app', '2', [amd64, arm64]);
    // Nothing listens there: a registry that refuses connections.
    const refusedHost = `127.0.0.1:${await freeLoopbackPort()}`;

    const helmHome = await isolatedHelmEnv();
    removeHelmHome = helmHome.remove;
    toolchain = await prepareToolchain({ helmPath: inject('helmPath'), helmfilePath: inject('helmfilePath'), env: helmHome.env });
    cacheDirectory = await mkdtemp(join(tmpdir(), 'hydrate-image-platforms-'));
    const app = `${registry.host}/app`;
    repo = await GitopsRepo.create(spec(app, '2'));
    const base = await repo.git('rev-parse', 'HEAD');
    commits = {
      base,
      missing: await commitSpec(app, '3'),
      amd64Only: await commitSpec(app, '1'),
      multiArch: await commitSpec(app, '2'),
      refused: await commitSpec(`${refusedHost}/app`, '2'),
    };
  });
  afterAll(async () => {
    // What the check adds to a one-release bump (issue 28's budget: 2 s when the registries answer).
    const names = Object.fromEntries(Object.entries(commits ?? {}).map(([name, sha]) => [sha, name]));
    const times = imageStageMs.map(([head, ms]) => `${names[head]} ${ms} ms`).join(', ');
    process.stderr.write(`[images] image stage per bump: ${times}\n`);
    await repo?.remove();
    await registry?.stop();
    await removeHelmHome?.();
    if (cacheDirectory) await rm(cacheDirectory, { recursive: true, force: true });
  });

  async function compare(base: string, head: string): Promise<Comparison> {
    const settings: CompareSettings = {
      helmfile: 'helmfile',
      skipKinds: [],
      diffContext: 3,
      noiseFilter: true,
      kubernetesSchemas: LOCAL_SCHEMAS,
      valuesCheck: false,
    };
    const check = imageCheck({
      crane: () => Promise.resolve(inject('cranePath')),
      architectures: (environment) => NODE_ARCHITECTURES[environment] ?? ['amd64'],
      cacheDirectory,
    });
    return compareRevisions(
      { repository: repo.dir, revisions: { base: { ref: base, sha: base }, head: { ref: head, sha: head } }, settings, toolchain },
      {
        checks: [check],
        stage: async (name, task) => {
          const started = Date.now();
          const result = await task();
          if (name === 'images') imageStageMs.push([head, Date.now() - started]);
          return result;
        },
      },
    );
  }

  function reports(comparison: Comparison, base: string, head: string): { comment: string; json: { risks: Risk[] } } {
    const input = comparisonReportInput(comparison, { base: { ref: base, sha: base }, head: { ref: head, sha: head } })!;
    return { comment: comparisonMarkdown(input, { status: '' }).body, json: JSON.parse(buildJsonReport(input)) as { risks: Risk[] } };
  }

  it('a bump to a tag never pushed is a blocking image-missing risk, named in the comment and the JSON', async () => {
    const comparison = await compare(commits.base, commits.missing);
    expect(imageRules(comparison.risks)).toEqual(['edge image-missing', 'production image-missing']);
    const risk = comparison.risks.find((candidate) => candidate.rule === 'image-missing')!;
    expect(risk).toMatchObject({
      severity: 'high',
      release: 'web',
      resource: { kind: 'Deployment', name: 'web-webapp' },
      change: { from: `${registry.host}/app:2`, to: `${registry.host}/app:3` },
    });
    expect(risk.message).toContain('MANIFEST_UNKNOWN');
    expect(blockingRisks(comparison.risks, 'high').map((blocking) => blocking.rule)).toContain('image-missing');
    const { comment, json } = reports(comparison, commits.base, commits.missing);
    // The comment names a risk by what happens (docs/risks.md names the rule).
    expect(comment).toContain(`the image ${registry.host}/app:3 does not exist in its registry`);
    expect(json.risks.filter((found) => found.rule === 'image-missing')).toHaveLength(2);
  });

  it('the amd64-only image on arm64 nodes is a blocking image-platform-missing; on amd64 nodes it is fine', async () => {
    const comparison = await compare(commits.base, commits.amd64Only);
    expect(imageRules(comparison.risks)).toEqual(['edge image-platform-missing']);
    const risk = comparison.risks.find((candidate) => candidate.rule === 'image-platform-missing')!;
    expect(risk.message).toContain('has no linux/arm64 variant (it has linux/amd64)');
    expect(blockingRisks(comparison.risks, 'high')).toContain(risk);
    const { comment, json } = reports(comparison, commits.base, commits.amd64Only);
    const digest = (await registry.digest(`${registry.host}/app:1`)).slice(0, 'sha256:'.length + 12);
    expect(comment).toContain(`\`${registry.host}/app:2\` → \`${registry.host}/app:1\` (${digest}…, amd64)`);
    expect(comment).toContain(`**edge** · web · \`Deployment.apps apps/web-webapp\` \`container web\`: the image ${registry.host}/app:1`);
    expect(comment).toContain('has no linux/arm64 variant');
    expect(json.risks.map((found) => found.rule)).toContain('image-platform-missing');
  });

  it('the multi-arch index gives nothing; only the changed image is looked up, and its platforms are cached by digest', async () => {
    const comparison = await compare(commits.amd64Only, commits.multiArch);
    expect(imageRules(comparison.risks)).toEqual([]);
    expect(comparison.checks.find((check) => check.check === 'images')).toMatchObject({
      summary: '1 of 1 image the change deploys resolved against its registry',
      notExercised: [],
    });
    const digest = await registry.digest(`${registry.host}/app:2`);
    expect(comparison.resolvedImages).toEqual([{ image: `${registry.host}/app:2`, digest, platforms: ['linux/amd64', 'linux/arm64'] }]);
    const { comment } = reports(comparison, commits.amd64Only, commits.multiArch);
    expect(comment).toContain(`(${digest.slice(0, 'sha256:'.length + 12)}…, amd64, arm64)`);
    expect(await readdir(join(cacheDirectory, 'sha256'))).toContain(`${digest.slice('sha256:'.length)}.json`);
    // Again: the tag is resolved anew (one HEAD request), its platforms come from the cache.
    const again = await compare(commits.amd64Only, commits.multiArch);
    expect(again.resolvedImages).toEqual(comparison.resolvedImages);
    // A reference by digest the cache knows needs no request at all (no crane is even run).
    const byDigest = `${registry.host}/app@${digest}`;
    const cached = await lookUpImages([byDigest], { binary: join(cacheDirectory, 'no-crane-here'), cacheDirectory });
    expect(cached.get(byDigest)).toMatchObject({ status: 'found', kind: 'index', digest });
  });

  it('a registry that refuses connections is listed once as not checked, and blocks nothing', async () => {
    const comparison = await compare(commits.base, commits.refused);
    expect(imageRules(comparison.risks)).toEqual([]);
    const coverage = comparison.checks.find((check) => check.check === 'images')!;
    expect(coverage.notExercised).toHaveLength(1);
    expect(coverage.notExercised[0]!.reason).toMatch(/^not reachable: .*connection refused.*; not checked: 127\.0\.0\.1:\d+\/app:2$/);
    const { comment } = reports(comparison, commits.base, commits.refused);
    expect(comment).toContain('1 not checked');
  });

  it('helmfile-hydrate diff runs the check by default and exits 1 at --block-on-risk high', async () => {
    const out: string[] = [];
    const err: string[] = [];
    const terminal: Terminal = { out: (text) => out.push(text), err: (text) => err.push(text) };
    const saved = { ...process.env };
    const helmHome = await isolatedHelmEnv();
    // The image platforms go to this test's cache; crane is the pinned one, found on PATH.
    Object.assign(process.env, helmHome.env, {
      HELMFILE_HYDRATE_CACHE: cacheDirectory,
      PATH: [dirname(inject('cranePath')), process.env.PATH].join(delimiter),
    });
    try {
      const args = ['--base', commits.base, '--head', commits.missing, '--format', 'json', '--block-on-risk', 'high', '--no-api-server'];
      const tools = ['--helm', inject('helmPath'), '--helmfile-binary', inject('helmfilePath'), '--kubernetes-schemas', LOCAL_SCHEMAS];
      expect(await diffCommand([...args, ...tools, '--no-values-check'], terminal, repo.dir)).toBe(1);
    } finally {
      for (const name of Object.keys(process.env)) if (!(name in saved)) delete process.env[name];
      Object.assign(process.env, saved);
      await helmHome.remove();
    }
    const json = JSON.parse(out[0]!) as { risks: Risk[] };
    expect(json.risks.filter((risk) => risk.rule === 'image-missing').map((risk) => risk.environment)).toEqual(['edge', 'production']);
  });
});
