import { readFile, rm, stat, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import type { GitRepository } from './git.js';

/** Config keys actions/checkout stores credentials under (`persist-credentials: true`, its default). */
const HEADER_KEYS = '^http\\..*\\.extraheader$';
/** Includes: actions/checkout v6+ keeps the header in a file under RUNNER_TEMP, included with `includeIf.gitdir:...path`. */
const INCLUDE_KEYS = '^include(if\\..*)?\\.path$';
/** What makes an included file a credentials file: the header actions/checkout writes. */
const CREDENTIALS_IN_FILE = /^\s*extraheader\s*=/im;

export interface WithheldCredentials {
  /** What was taken out, for the log; never the values. */
  descriptions: string[];
  /** Puts everything back as it was. */
  restore(): Promise<void>;
}

/**
 * Takes the credentials actions/checkout persisted out of the repository's git config for the
 * duration of a run: the `http.<url>.extraheader` entries of `.git/config` (checkout v4/v5) and the
 * included credentials files with their `includeIf` entries (v6+), each file held in memory and
 * deleted. helm and helmfile run as the same user as the action and could read all of them
 * (a helmfile `exec`, a chart's plugin); the action's own git commands get the token per command
 * instead (git/auth.ts). `restore` writes everything back for the steps after this one; a run
 * killed before that leaves the workspace without them, which only fails later steps that relied
 * on them, never leaks them.
 */
export async function withholdPersistedCredentials(git: GitRepository): Promise<WithheldCredentials> {
  const descriptions: string[] = [];
  const undo: (() => Promise<void>)[] = [];
  const gitDir = await git.run(['rev-parse', '--absolute-git-dir']);
  const configPath = join(gitDir, 'config');
  const original = await readFile(configPath, 'utf8');

  for (const [key, value] of await localEntries(git, HEADER_KEYS)) {
    await git.run(['config', '--local', '--fixed-value', '--unset-all', key, value]);
    undo.push(() => git.run(['config', '--local', '--add', key, value]).then(() => undefined));
    descriptions.push(`${key} in .git/config`);
  }

  const files = new Map<string, { content: string; mode: number }>();
  for (const [key, value] of await localEntries(git, INCLUDE_KEYS)) {
    const path = value.startsWith('~/') ? join(homedir(), value.slice(2)) : isAbsolute(value) ? value : join(gitDir, value);
    if (!files.has(path)) {
      const content = await readFile(path, 'utf8').catch(() => undefined);
      if (content === undefined || !CREDENTIALS_IN_FILE.test(content)) continue;
      files.set(path, { content, mode: (await stat(path)).mode & 0o777 });
    }
    await git.run(['config', '--local', '--fixed-value', '--unset-all', key, value]);
    undo.push(() => git.run(['config', '--local', '--add', key, value]).then(() => undefined));
    descriptions.push(`${key} in .git/config`);
  }
  for (const [path, { content, mode }] of files) {
    await rm(path, { force: true });
    undo.unshift(() => writeFile(path, content, { mode }));
    descriptions.push(`the credentials file ${path}`);
  }

  const withheldConfig = await readFile(configPath, 'utf8');

  return {
    descriptions,
    restore: async () => {
      const steps = undo.splice(0);
      if (steps.length === 0) return;
      if ((await readFile(configPath, 'utf8')) === withheldConfig) {
        // Nothing else changed the config meanwhile: put the very text back (`git config --add`
        // would append the entries at the end, in new sections).
        for (const [path, { content, mode }] of files) await writeFile(path, content, { mode });
        await writeFile(configPath, original);
        return;
      }
      // Files first, then the entries that include them, in the order they were found.
      for (const step of steps) await step();
    },
  };
}

/** `[key, value]` pairs of the repository's own config (not global/system) whose key matches. */
async function localEntries(git: GitRepository, pattern: string): Promise<[string, string][]> {
  const result = await git.exec(['config', '--local', '--null', '--get-regexp', pattern]);
  // Exit 1: no such key.
  if (result.exitCode !== 0) return [];
  return result.stdout
    .split('\0')
    .filter(Boolean)
    .map((entry) => {
      const newline = entry.indexOf('\n');
      return newline < 0 ? [entry, ''] : [entry.slice(0, newline), entry.slice(newline + 1)];
    });
}
