import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runProgram } from '../../src/process/run-program.js';
import { rewriteHelmArguments, type ChartMirrorPlan } from '../../src/render/chart-mirror-plan.js';
import { helmEntryScript } from '../../src/render/chart-mirror.js';
import { testToolchain } from '../support/toolchain.js';

const WEBAPP = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'charts', 'webapp', '1.0.0');

const plan: ChartMirrorPlan = {
  base: 'http://127.0.0.1:8080/0',
  rules: [{ source: 'oci://ghcr.io/org/charts', target: 'http://127.0.0.1:8080/1' }],
};

/** Calls helmfile makes that need no rewrite: they go to the real helm directly. */
const DIRECT_CALLS = [
  ['version', '--short'],
  ['template', 'web', WEBAPP, '--namespace', 'apps', '--set', "note=it's"],
  ['show', 'chart', WEBAPP],
  ['dependency', 'list', WEBAPP],
];

/** Calls the rewrite may change: they go through Node. */
const REWRITTEN_CALLS = [
  ['repo', 'add', 'cilium', 'https://helm.cilium.io', '--force-update'],
  ['repo', 'add', 'local', 'charts-without-scheme'],
  ['pull', 'oci://ghcr.io/org/charts/web', '--version', '1.0.0'],
  ['template', 'web', 'oci://ghcr.io/org/charts/web'],
];

describe('the chart mirror entry script', () => {
  let toolchain: Awaited<ReturnType<typeof testToolchain>>;
  let directory: string;
  let entry: string;

  beforeAll(async () => {
    toolchain = await testToolchain();
    directory = await mkdtemp(join(tmpdir(), 'hydrate-mirror-entry-'));
    entry = join(directory, 'helm');
    // The real entry script and the real helm; the Node wrapper it would start is absent, so a
    // call routed to Node fails with Node's own error and one routed to helm runs as helm does.
    await writeFile(entry, helmEntryScript([process.execPath, join(directory, 'absent-wrapper.cjs')], toolchain.helm.path));
    await chmod(entry, 0o755);
  });

  afterAll(async () => {
    await rm(directory, { recursive: true, force: true });
    await toolchain?.remove();
  });

  it.each(DIRECT_CALLS)('runs helm %s %s directly, with the arguments unchanged', async (...args) => {
    const [viaEntry, viaHelm] = await Promise.all([
      runProgram(entry, args, { env: toolchain.env }),
      runProgram(toolchain.helm.path, args, { env: toolchain.env }),
    ]);
    expect(viaEntry.exitCode).toBe(0);
    expect(viaEntry).toEqual(viaHelm);
  });

  it.each(REWRITTEN_CALLS)('hands helm %s %s to the Node wrapper', async (...args) => {
    const result = await runProgram(entry, args, { env: toolchain.env });
    expect(result.exitCode).not.toBe(0);
    expect(result.stderr).toContain('absent-wrapper.cjs');
  });

  it('lets through to helm only calls the rewrite would leave as they are', () => {
    for (const args of DIRECT_CALLS) expect(rewriteHelmArguments(args, plan)).toEqual(args);
    for (const args of REWRITTEN_CALLS) expect(rewriteHelmArguments(args, plan)).not.toEqual(args);
  });
});
