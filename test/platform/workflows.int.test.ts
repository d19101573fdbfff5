import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { resolveTool, type ResolvedTool } from '../../src/tools/resolve.js';
import { REPOSITORY_ROOT } from './support/platform.js';

const WORKFLOWS = join(REPOSITORY_ROOT, '.github', 'workflows');

let actionlint: ResolvedTool;

beforeAll(async () => {
  actionlint = await resolveTool('actionlint');
});

async function lint(files: string[]): Promise<{ exitCode: number; output: string }> {
  const result = await execa(actionlint.path, ['-no-color', '-oneline', ...files], {
    cwd: REPOSITORY_ROOT,
    reject: false,
    stdin: 'ignore',
  });
  return { exitCode: result.exitCode ?? 1, output: `${result.stdout}${result.stderr}` };
}

describe('GitHub workflows', () => {
  it('pass the real actionlint', async () => {
    const files = (await readdir(WORKFLOWS)).filter((name) => /\.ya?ml$/.test(name)).map((name) => join('.github', 'workflows', name));
    expect(files).toContain(join('.github', 'workflows', 'ci.yml'));
    const result = await lint(files);
    expect(result.output).toBe('');
    expect(result.exitCode).toBe(0);
  });

  it('actionlint is live: it rejects a broken workflow', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'actionlint-'));
    try {
      const file = join(directory, 'broken.yml');
      await writeFile(
        file,
        'on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.evnt.name }}\n',
      );
      const result = await lint([file]);
      expect(result.exitCode).not.toBe(0);
      expect(result.output).toMatch(/evnt/);
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });

  it('ci.yml runs the same entry point as local runs', async () => {
    const workflow = parse(await readFile(join(WORKFLOWS, 'ci.yml'), 'utf8')) as {
      jobs: Record<string, { steps: Array<{ uses?: string; run?: string }> }>;
    };
    const steps = Object.values(workflow.jobs).flatMap((job) => job.steps);
    expect(steps.map((step) => step.uses?.split('@')[0] ?? step.run)).toEqual([
      'actions/checkout',
      'actions/setup-node',
      'actions/setup-go',
      'actions/cache',
      'bash .ci/run',
    ]);
  });

  it('manifests-check.yml renders everything on main and on a schedule, failing when a committed manifest is stale', async () => {
    const workflow = parse(await readFile(join(WORKFLOWS, 'manifests-check.yml'), 'utf8')) as {
      on: Record<string, unknown>;
      jobs: Record<string, { steps: Array<{ run?: string }> }>;
    };
    expect(Object.keys(workflow.on).sort()).toEqual(['push', 'schedule', 'workflow_dispatch']);
    const runs = Object.values(workflow.jobs).flatMap((job) => job.steps.flatMap((step) => (step.run ? [step.run] : [])));
    expect(runs).toEqual(['node dist/cli.js render --check --helmfile helmfile --output-dir manifests']);
  });
});
