import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { fullReportHint, reportArtifactName, runLocation, uploadReportArtifact } from '../../src/action/report-artifact.js';
import { runtimeToken, startGitHubApiServer, type GitHubApiServer } from '../support/github-api-server.js';

/** @actions/artifact reads the runner's environment itself: set it as a runner would, restore it after. */
const RUNNER_ENV = [
  'ACTIONS_RUNTIME_TOKEN',
  'ACTIONS_RESULTS_URL',
  'GITHUB_SERVER_URL',
  'GITHUB_REPOSITORY',
  'GITHUB_RUN_ID',
  'GITHUB_RUN_ATTEMPT',
] as const;

describe('the full report as a workflow artifact (real @actions/artifact against the local results service)', () => {
  let api: GitHubApiServer;
  let directory: string;
  const saved = Object.fromEntries(RUNNER_ENV.map((name) => [name, process.env[name]]));
  const token = runtimeToken('run-backend-7f3a', 'job-backend-91c2');

  beforeAll(async () => {
    api = await startGitHubApiServer({ owner: 'acme', repo: 'platform' });
    api.state.runtimeTokens.add(token);
    directory = await mkdtemp(join(tmpdir(), 'hydrate-report-'));
    await writeFile(join(directory, 'report.md'), `# full report\n${'line of a long diff\n'.repeat(5000)}`);
    await writeFile(join(directory, 'report.json'), '{"version":1}\n');
  });
  afterEach(() => {
    for (const name of RUNNER_ENV) {
      if (saved[name] === undefined) delete process.env[name];
      else process.env[name] = saved[name];
    }
  });
  afterAll(async () => {
    await api?.close();
    await rm(directory, { recursive: true, force: true });
  });

  const runner = () => {
    Object.assign(process.env, {
      ACTIONS_RUNTIME_TOKEN: token,
      ACTIONS_RESULTS_URL: `${api.url}/`,
      GITHUB_SERVER_URL: 'https://github.com',
      GITHUB_REPOSITORY: 'acme/platform',
      GITHUB_RUN_ID: '4242',
    });
    delete process.env.GITHUB_RUN_ATTEMPT;
  };

  it('uploads report.md and report.json, and links the artifact from the comment', async () => {
    runner();
    const name = reportArtifactName('helmfile/helmfile.yaml.gotmpl');
    expect(name).toBe('helmfile-hydrate-report-helmfile-helmfile.yaml.gotmpl');
    const artifact = await uploadReportArtifact(name, [join(directory, 'report.md'), join(directory, 'report.json')]);
    const stored = api.state.artifacts.get(name)!;
    expect(stored).toMatchObject({
      id: artifact.id,
      finalized: true,
      workflowRunBackendId: 'run-backend-7f3a',
      workflowJobRunBackendId: 'job-backend-91c2',
    });
    expect(artifact.url).toBe(`https://github.com/acme/platform/actions/runs/4242/artifacts/${artifact.id}`);
    // The blob is the zip GitHub serves for download: it holds both files, byte for byte.
    const zip = join(directory, 'downloaded.zip');
    await writeFile(zip, stored.content!);
    expect(execFileSync('unzip', ['-Z1', zip], { encoding: 'utf8' }).split('\n').filter(Boolean).sort()).toEqual([
      'report.json',
      'report.md',
    ]);
    expect(execFileSync('unzip', ['-p', zip, 'report.md'], { encoding: 'utf8' })).toMatch(/^# full report\n(line of a long diff\n){5000}$/);
    expect(fullReportHint(artifact, runLocation())).toBe(
      `the full report is the [${name} artifact](https://github.com/acme/platform/actions/runs/4242/artifacts/${artifact.id}); also in the [job summary](https://github.com/acme/platform/actions/runs/4242)`,
    );
  });

  it('fails without harm when the service refuses the upload; the hint then points to the job summary', async () => {
    runner();
    process.env.ACTIONS_RUNTIME_TOKEN = runtimeToken('run-backend-7f3a', 'unknown-job');
    process.env.GITHUB_RUN_ATTEMPT = '2';
    const name = reportArtifactName('helmfile.yaml');
    expect(name).toBe('helmfile-hydrate-report-helmfile.yaml-attempt-2');
    await expect(uploadReportArtifact(name, [join(directory, 'report.md')])).rejects.toThrow(/CreateArtifact/);
    expect(api.state.artifacts.has(name)).toBe(false);
    expect(fullReportHint(undefined, runLocation())).toBe('see the [job summary](https://github.com/acme/platform/actions/runs/4242)');
  });

  it('says why outside a workflow run', async () => {
    for (const name of RUNNER_ENV) delete process.env[name];
    await expect(uploadReportArtifact('x', [join(directory, 'report.md')])).rejects.toThrow(
      /ACTIONS_RUNTIME_TOKEN and ACTIONS_RESULTS_URL are not set/,
    );
    expect(fullReportHint(undefined, runLocation())).toBe('see the job summary');
  });
});
