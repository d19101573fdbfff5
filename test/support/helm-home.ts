import type { Terminal } from '../../src/cli/terminal.js';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A private helm configuration, cache and data home, so tests never touch the user's helm setup. */
export async function isolatedHelmEnv(): Promise<{ env: Record<string, string>; remove: () => Promise<void> }> {
  const home = await mkdtemp(join(tmpdir(), 'hydrate-helm-home-'));
  return {
    env: { HELM_CACHE_HOME: join(home, 'cache'), HELM_CONFIG_HOME: join(home, 'config'), HELM_DATA_HOME: join(home, 'data') },
    remove: () => rm(home, { recursive: true, force: true }),
  };
}

/** What a CLI command printed, and its exit code. */
export interface CommandRun {
  exitCode: number;
  out: string;
  err: string;
}

/**
 * Runs a command as the CLI does (its output captured) with a private helm home in the process
 * environment, put back as it was afterwards whatever the command did.
 */
export async function runInHelmHome(command: (terminal: Terminal) => Promise<number>): Promise<CommandRun> {
  const out: string[] = [];
  const err: string[] = [];
  const terminal: Terminal = { out: (text) => out.push(text), err: (text) => err.push(text) };
  const helmHome = await isolatedHelmEnv();
  const saved = { ...process.env };
  Object.assign(process.env, helmHome.env);
  try {
    const exitCode = await command(terminal);
    return { exitCode, out: out.join(''), err: err.join('') };
  } finally {
    for (const name of Object.keys(helmHome.env)) {
      if (saved[name] === undefined) delete process.env[name];
      else process.env[name] = saved[name];
    }
    await helmHome.remove();
  }
}
