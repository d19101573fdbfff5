/**
 * The helm wrapper helmfile runs (through the sh entry point of chart-mirror.ts) when a chart
 * mirror is set: `node helm-mirror.js <plan.json> <real helm> <helm arguments...>`. It runs the
 * real helm with rewriteHelmArguments applied, with the same stdio and environment, and exits as
 * helm exits. A program of its own (bundled as dist/helm-mirror.js), so what runs is this module.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { rewriteHelmArguments, type ChartMirrorPlan } from './chart-mirror-plan.js';

export function runHelmMirror([planFile, realHelm, ...args]: readonly string[]): number {
  if (!planFile || !realHelm) {
    process.stderr.write('usage: helm-mirror <plan.json> <helm> [helm arguments...]\n');
    return 2;
  }
  const plan = JSON.parse(readFileSync(planFile, 'utf8')) as ChartMirrorPlan;
  const result = spawnSync(realHelm, rewriteHelmArguments(args, plan), { stdio: 'inherit' });
  if (result.error) {
    process.stderr.write(`helmfile-hydrate chart mirror: cannot run ${realHelm}: ${result.error.message}\n`);
    return 127;
  }
  if (result.signal) process.kill(process.pid, result.signal);
  return result.status ?? 1;
}

function isEntryPoint(): boolean {
  try {
    return process.argv[1] !== undefined && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href;
  } catch {
    return false;
  }
}

if (isEntryPoint()) process.exitCode = runHelmMirror(process.argv.slice(2));
