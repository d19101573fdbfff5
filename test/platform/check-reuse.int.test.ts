import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildChartMirror, createPlatformRepository } from '../../bench/platform/setup.js';
import { diffCommand } from '../../src/cli/diff-command.js';
import { CHECK_EVERYTHING_VARIABLE } from '../../src/compare/settings.js';
import { KUBERNETES_OPENAPI_DOCUMENTS } from '../support/kubernetes-openapi-server.js';
import { SHARED_CHARTS, SHARED_CHARTS_MISSING } from '../support/shared-charts.js';
import { testToolchain } from '../support/toolchain.js';
import { REPOSITORY_ROOT } from './support/platform.js';

interface Run {
  report: string;
  log: string;
}

// The real platform's kube-prometheus-stack bump (main holds the committed manifests): the report
// of `diff` is the same byte for byte whether the checks reuse what did not change (the head's
// unchanged resources take the base's validation outcome, staging reads the charts production
// fetched for the values check) or every check runs in full (HELMFILE_HYDRATE_CHECK_EVERYTHING=1).
describe.skipIf(!SHARED_CHARTS)(`reused checks on the real platform${SHARED_CHARTS ? '' : ` (skipped: ${SHARED_CHARTS_MISSING})`}`, () => {
  let work: string;
  const runs: Record<string, Run> = {};

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'hydrate-check-reuse-'));
    const toolchain = await testToolchain();
    try {
      const mirror = join(work, 'mirror');
      await buildChartMirror(SHARED_CHARTS!, mirror, join(work, 'chart-build'), toolchain.helm.path, toolchain.env);
      const platform = await createPlatformRepository(REPOSITORY_ROOT, join(work, 'platform'));
      const schemas = `${join(KUBERNETES_OPENAPI_DOCUMENTS, '{minor}', 'api', 'openapi-spec', 'v3')}/`;
      const tools = ['--helm', toolchain.helm.path, '--helmfile-binary', toolchain.helmfile.path];
      const args = ['--base', platform.base, '--head', platform.bump, '--chart-mirror', mirror, '--kubernetes-schemas', schemas];
      for (const everything of [false, true]) {
        for (const format of ['json', 'markdown']) {
          const out: string[] = [];
          const err: string[] = [];
          if (everything) process.env[CHECK_EVERYTHING_VARIABLE] = '1';
          try {
            const code = await diffCommand(
              [...args, ...tools, '--no-api-server', '--format', format, '--budget', 'none'],
              { out: (text) => out.push(text), err: (text) => err.push(text) },
              platform.directory,
            );
            expect(code, err.join('')).toBe(0);
          } finally {
            delete process.env[CHECK_EVERYTHING_VARIABLE];
          }
          runs[`${format}${everything ? ' in full' : ''}`] = { report: out.join(''), log: err.join('\n') };
        }
      }
    } finally {
      await toolchain.remove();
    }
  }, 900_000);
  afterAll(() => (work ? rm(work, { recursive: true, force: true }) : undefined));

  it('reports the same JSON and markdown, byte for byte', () => {
    expect(runs.json!.report).toBe(runs['json in full']!.report);
    expect(runs.markdown!.report).toBe(runs['markdown in full']!.report);
    expect(runs.json!.report.length).toBeGreaterThan(1_000);
  });

  it('validates on the head only what the bump changed', () => {
    // 990 resources, 228 of kube-prometheus-stack changed (most only in their chart version labels).
    expect(runs.json!.log).toContain('762 head resource(s) unchanged since the base: validated once, on the base');
    expect(runs['json in full']!.log).not.toContain('unchanged since the base');
  });
});
