import { readFile } from 'node:fs/promises';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { readSettings } from '../../src/inputs.js';
import { resolveTool } from '../../src/tools/resolve.js';

const root = new URL('../../', import.meta.url);

describe('.github/workflows/hydrate.yml', () => {
  it('passes actionlint', async () => {
    const actionlint = await resolveTool('actionlint');
    const result = await execa(actionlint.path, ['-no-color', '.github/workflows/hydrate.yml'], { cwd: root, reject: false });
    expect(result.exitCode, `${result.stdout}\n${result.stderr}`).toBe(0);
  });

  it('runs per pull request with the least permissions and checks out the head branch', async () => {
    const workflow = parse(await readFile(new URL('.github/workflows/hydrate.yml', root), 'utf8'));
    expect(Object.keys(workflow.on)).toEqual(['pull_request']);
    expect(workflow.concurrency.group).toContain('github.event.pull_request.number');
    expect(workflow.permissions).toEqual({ contents: 'write', 'pull-requests': 'write', statuses: 'write' });
    const checkout = workflow.jobs.hydrate.steps.find((step: { uses?: string }) => step.uses?.startsWith('actions/checkout@'));
    // No token in .git/config while helm and helmfile run: the action passes it to git per command.
    expect(checkout.with).toMatchObject({
      ref: '${{ github.event.pull_request.head.ref }}',
      'fetch-depth': 0,
      'persist-credentials': false,
    });
    const hydrate = workflow.jobs.hydrate.steps.find((step: { uses?: string }) =>
      step.uses?.startsWith('helmfile-hydrate/helmfile-hydrate@'),
    );
    expect(hydrate.with.token).toBe('${{ steps.app-token.outputs.token || github.token }}');
  });
});

describe('action.yml', () => {
  it('declares exactly the inputs the action reads, and README.md documents every input and output', async () => {
    const action = parse(await readFile(new URL('action.yml', root), 'utf8'));
    const read = new Set<string>();
    readSettings((name) => {
      read.add(name);
      return '';
    });
    expect(Object.keys(action.inputs).sort()).toEqual([...read].sort());
    const docs = await readFile(new URL('README.md', root), 'utf8');
    for (const name of [...Object.keys(action.inputs), ...Object.keys(action.outputs)]) expect(docs, name).toContain(`| \`${name}\` |`);
    expect(action.runs).toEqual({ using: 'node24', main: 'dist/index.js' });
  });
});
