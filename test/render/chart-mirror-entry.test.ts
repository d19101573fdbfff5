import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runProgram } from '../../src/process/run-program.js';
import { helmEntryScript, rewriteHelmArguments, type ChartMirrorPlan } from '../../src/render/chart-mirror.js';

const plan: ChartMirrorPlan = {
  base: 'http://127.0.0.1:8080/0',
  rules: [{ source: 'oci://ghcr.io/org/charts', target: 'http://127.0.0.1:8080/1' }],
};

/** Calls helmfile makes, and the route the entry script must take for each. */
const CALLS: Array<{ args: string[]; route: 'node' | 'helm' }> = [
  { args: ['version', '--short'], route: 'helm' },
  { args: ['template', 'web', '/tmp/charts/web', '--namespace', 'apps', '--values', '/tmp/values.yaml'], route: 'helm' },
  { args: ['pull', 'cilium/cilium', '--version', '1.18.4', '--untar', '--untardir', '/tmp/x'], route: 'helm' },
  { args: ['dependency', 'build', '/tmp/charts/web'], route: 'helm' },
  { args: ['repo', 'add', 'cilium', 'https://helm.cilium.io', '--force-update'], route: 'node' },
  { args: ['repo', 'add', 'local', 'charts-without-scheme'], route: 'node' },
  { args: ['pull', 'oci://ghcr.io/org/charts/web', '--version', '1.0.0'], route: 'node' },
  { args: ['template', 'web', 'oci://ghcr.io/org/charts/web'], route: 'node' },
  { args: ['show', 'values', 'web', '--repo', 'http://127.0.0.1:8080/0/web'], route: 'node' },
  { args: ['template', 'x', '/tmp/with space', '--set', "a=it's"], route: 'helm' },
];

describe('the chart mirror entry script', () => {
  let directory: string;
  let entry: string;

  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'hydrate-mirror-entry-'));
    // Stand-ins that say which one ran, with which arguments; the entry script itself is the real one.
    const script = join(directory, 'wrapper.cjs');
    await writeFile(script, "process.stdout.write(JSON.stringify(['node', ...process.argv.slice(2)]));\n");
    const helm = join(directory, 'real helm');
    await writeFile(helm, `#!/bin/sh\nprintf '["helm"'; for a in "$@"; do printf ',"%s"' "$a"; done; printf ']'\n`);
    await chmod(helm, 0o755);
    entry = join(directory, 'helm');
    await writeFile(entry, helmEntryScript(process.execPath, script, helm));
    await chmod(entry, 0o755);
  });

  afterAll(() => rm(directory, { recursive: true, force: true }));

  it.each(CALLS)('routes $args.0 $args.1 to $route with the arguments unchanged', async ({ args, route }) => {
    const result = await runProgram(entry, args, { env: { PATH: process.env.PATH ?? '' } });
    expect(result.exitCode).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual([route, ...args]);
  });

  it('lets through to helm only calls the rewrite would leave as they are', () => {
    for (const { args, route } of CALLS) if (route === 'helm') expect(rewriteHelmArguments(args, plan)).toEqual(args);
  });
});
