import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli.js';
import type { Terminal } from '../../src/cli/terminal.js';
import { parseRepositoryPins } from '../../src/tools/repository-pins.js';

const KUBECTL_NODES = JSON.stringify({
  apiVersion: 'v1',
  kind: 'List',
  items: ['node-2', 'node-1'].map((name) => ({
    metadata: {
      name,
      labels: { 'kubernetes.io/hostname': name, 'kubernetes.io/arch': 'arm64', 'node-role.kubernetes.io/control-plane': '' },
    },
    spec: { taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }] },
    status: {
      allocatable: { cpu: '4', memory: '16318040Ki', pods: '110', 'ephemeral-storage': '95491020Ki' },
      nodeInfo: { architecture: 'arm64' },
    },
  })),
});

/** `helmfile-hydrate nodes import` in a real git repository: the declaration is written at its root, the rest of the file kept. */
describe('nodes import', () => {
  let repository: string;
  let cwd: string;
  beforeEach(async () => {
    repository = await mkdtemp(join(tmpdir(), 'hydrate-nodes-'));
    execFileSync('git', ['init', '--quiet', repository]);
    cwd = process.cwd();
    process.chdir(repository);
  });
  afterEach(async () => {
    process.chdir(cwd);
    await rm(repository, { recursive: true, force: true });
  });

  const cli = async (argv: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const terminal: Terminal = { out: (text) => out.push(text), err: (text) => err.push(text) };
    return { exitCode: await runCli(argv, terminal), out: out.join(''), err: err.join('') };
  };

  it("writes the environment's nodes from kubectl's JSON, keeping the pins and comments, and reads back", async () => {
    await writeFile(join(repository, '.helmfile-hydrate.yaml'), '# Renovate bumps these.\nhelm: 4.3.1\n');
    await writeFile(join(repository, 'nodes.json'), KUBECTL_NODES);
    const run = await cli(['nodes', 'import', '-e', 'production', '--from', 'nodes.json']);
    expect(run.exitCode, run.err).toBe(0);
    expect(run.err).toContain('wrote 2 node(s) of production');
    const text = await readFile(join(repository, '.helmfile-hydrate.yaml'), 'utf8');
    expect(text.startsWith('# Renovate bumps these.\nhelm: 4.3.1\n')).toBe(true);
    const pins = parseRepositoryPins(text, '.helmfile-hydrate.yaml');
    expect(pins.versions).toEqual({ helm: '4.3.1' });
    expect(pins.environments!.get('production')!.nodes).toEqual(
      ['node-1', 'node-2'].map((name) => ({
        name,
        architecture: 'arm64',
        labels: { 'node-role.kubernetes.io/control-plane': '' },
        taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }],
        allocatable: { cpu: '4', memory: '16318040Ki', pods: '110', 'ephemeral-storage': '95491020Ki' },
      })),
    );
  });

  it('refuses input that is not kubectl JSON and leaves the file as it was', async () => {
    await writeFile(join(repository, '.helmfile-hydrate.yaml'), 'helm: 4.3.1\n');
    await writeFile(join(repository, 'nodes.json'), 'NAME STATUS\nnode-1 Ready\n');
    const run = await cli(['nodes', 'import', '-e', 'production', '--from', 'nodes.json']);
    expect(run.exitCode).toBe(1);
    expect(run.err).toContain('nodes.json is not JSON');
    expect(await readFile(join(repository, '.helmfile-hydrate.yaml'), 'utf8')).toBe('helm: 4.3.1\n');
    expect((await cli(['nodes', 'import'])).exitCode).toBe(2);
  });
});
