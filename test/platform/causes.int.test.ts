import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildChartMirror, BUMPED_RELEASE, createPlatformRepository } from '../../bench/platform/setup.js';
import { diffCommand } from '../../src/cli/diff-command.js';
import { KUBERNETES_OPENAPI_DOCUMENTS } from '../support/kubernetes-openapi-server.js';
import { SHARED_CHARTS, SHARED_CHARTS_MISSING } from '../support/shared-charts.js';
import { testToolchain } from '../support/toolchain.js';
import { REPOSITORY_ROOT } from './support/platform.js';

/** A committed file of the platform main holds, edited by hand: drift the next pull request must show. */
const EDITED = 'production/metallb/configmap_metallb-system_metallb-excludel2.yaml';

interface JsonReport {
  environments: Array<{
    releases: Array<{ name: string; resources: Array<{ headPath: string | null; cause: string; causes?: string[] }> }>;
  }>;
  handEdits: unknown[];
  toolchain: unknown[];
}

// The real platform, as a Renovate pull request sees it: main holds the committed manifests
// (rendered from ../shared/charts by this tool), a person edited one of them on main, then
// Renovate bumps kube-prometheus-stack. The base side is what main deploys: the bump's changes
// are the pull request's, the edited file is drift, and nothing else is said to change.
describe.skipIf(!SHARED_CHARTS)(`causes on the real platform${SHARED_CHARTS ? '' : ` (skipped: ${SHARED_CHARTS_MISSING})`}`, () => {
  let work: string;
  let report: JsonReport;
  let markdown: string;

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'hydrate-causes-'));
    const toolchain = await testToolchain();
    try {
      const mirror = join(work, 'mirror');
      await buildChartMirror(SHARED_CHARTS!, mirror, join(work, 'chart-build'), toolchain.helm.path, toolchain.env);
      const platform = await createPlatformRepository(REPOSITORY_ROOT, join(work, 'platform'));
      const git = (...args: string[]) => execa('git', args, { cwd: platform.directory }).then((result) => result.stdout.trim());
      const file = join(platform.directory, 'manifests', EDITED);
      await writeFile(file, (await readFile(file, 'utf8')).replace(/^data:$/m, 'data:\n  edited: on-main'));
      await git('commit', '--quiet', '-am', 'main: a rendered file edited by hand');
      const base = await git('rev-parse', 'HEAD');
      await git('checkout', '--quiet', '-b', 'renovate/bump-on-drift');
      await git('cherry-pick', platform.bump);
      const head = await git('rev-parse', 'HEAD');
      const schemas = `${join(KUBERNETES_OPENAPI_DOCUMENTS, '{minor}', 'api', 'openapi-spec', 'v3')}/`;
      const shared = ['--base', base, '--head', head, '--chart-mirror', mirror, '--kubernetes-schemas', schemas, '--no-api-server'];
      const run = async (format: string) => {
        const out: string[] = [];
        const err: string[] = [];
        const tools = ['--helm', toolchain.helm.path, '--helmfile-binary', toolchain.helmfile.path, '--no-values-check'];
        const code = await diffCommand(
          [...shared, ...tools, '--format', format, '--budget', 'none'],
          {
            out: (text) => out.push(text),
            err: (text) => err.push(text),
          },
          platform.directory,
        );
        expect(code, err.join('')).toBe(0);
        return out.join('');
      };
      report = JSON.parse(await run('json')) as JsonReport;
      markdown = await run('markdown');
    } finally {
      await toolchain.remove();
    }
  }, 600_000);
  afterAll(() => (work ? rm(work, { recursive: true, force: true }) : undefined));

  const changes = () =>
    report.environments.flatMap((environment) =>
      environment.releases.flatMap((release) => release.resources.map((change) => ({ release: release.name, ...change }))),
    );

  it("names the bump's changes as the pull request's, and only them", () => {
    const requested = changes().filter((change) => change.cause === 'pull-request');
    expect(requested.length).toBeGreaterThan(0);
    expect([...new Set(requested.map((change) => change.release))]).toEqual([BUMPED_RELEASE]);
    expect(requested.every((change) => change.causes === undefined)).toBe(true);
  });

  it('names the file edited on main as drift, and nothing else; no toolchain change, no hand edit', () => {
    expect(changes().filter((change) => change.cause !== 'pull-request')).toEqual([
      expect.objectContaining({ release: 'metallb', headPath: EDITED, cause: 'drift' }),
    ]);
    expect(report.toolchain).toEqual([]);
    expect(report.handEdits).toEqual([]);
    expect(markdown).toContain(`- **drift**: 1 resource (the base's committed manifests are not what the base's inputs render`);
    expect(markdown).toContain(`  - \`${EDITED}\``);
  });
});
