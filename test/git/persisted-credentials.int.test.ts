import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gitAuthEnvironment } from '../../src/git/auth.js';
import { GitRepository } from '../../src/git/git.js';
import { withholdPersistedCredentials } from '../../src/git/persisted-credentials.js';
import { git } from '../action/action-harness.js';

const TOKEN = 'ghs_checkouttoken000000000000000000000000';
const HEADER = `AUTHORIZATION: basic ${Buffer.from(`x-access-token:${TOKEN}`).toString('base64')}`;

describe('credentials actions/checkout persisted', () => {
  let root: string;
  let work: string;
  let credentialsFile: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'hydrate-credentials-'));
    work = join(root, 'work');
    await git(root, 'init', '--quiet', work);
    // checkout v4/v5: the header in .git/config.
    await git(work, 'config', '--local', 'http.https://github.com/.extraheader', HEADER);
    // checkout v6: a file under RUNNER_TEMP, included for the workspace's git directory.
    credentialsFile = join(root, 'git-credentials-0a1b.config');
    await writeFile(credentialsFile, `[http "https://github.com/"]\n\textraheader = ${HEADER}\n`, { mode: 0o600 });
    await git(work, 'config', '--local', `includeIf.gitdir:${work}/.git.path`, credentialsFile);
    await git(work, 'config', '--local', 'includeIf.gitdir:/github/workspace/.git.path', credentialsFile);
    await git(work, 'config', '--local', 'core.autocrlf', 'false');
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  it('are out of the git config and off the disk while withheld, and back afterwards', async () => {
    const before = await git(work, 'config', '--list', '--local');
    const repo = new GitRepository(work);
    const withheld = await withholdPersistedCredentials(repo);
    expect(withheld.descriptions).toEqual([
      'http.https://github.com/.extraheader in .git/config',
      `includeif.gitdir:${work}/.git.path in .git/config`,
      'includeif.gitdir:/github/workspace/.git.path in .git/config',
      `the credentials file ${credentialsFile}`,
    ]);
    const during = await git(work, 'config', '--list', '--show-origin');
    expect(during).not.toContain(HEADER);
    expect(during).not.toMatch(/extraheader|includeif/i);
    expect(during).toContain('core.autocrlf=false');
    await expect(stat(credentialsFile)).rejects.toThrow(/ENOENT/);
    expect(await readFile(join(work, '.git', 'config'), 'utf8')).not.toContain(TOKEN.slice(4));

    await withheld.restore();
    expect(await git(work, 'config', '--list', '--local')).toBe(before);
    expect(await readFile(credentialsFile, 'utf8')).toContain(HEADER);
    expect((await stat(credentialsFile)).mode & 0o777).toBe(0o600);
    expect(await git(work, 'config', '--get', 'http.https://github.com/.extraheader')).toBe(HEADER);
  });

  it('finds nothing to take in a repository checked out with persist-credentials: false', async () => {
    const clean = join(root, 'clean');
    await git(root, 'init', '--quiet', clean);
    const withheld = await withholdPersistedCredentials(new GitRepository(clean));
    expect(withheld.descriptions).toEqual([]);
    await withheld.restore();
  });
});

describe('gitAuthEnvironment', () => {
  it('gives one git command the header for the server only, after any the workflow set, and resets inherited ones', async () => {
    const env = gitAuthEnvironment('https://github.com/', TOKEN, { GIT_CONFIG_COUNT: '1' });
    expect(env).toEqual({
      GIT_CONFIG_COUNT: '3',
      GIT_CONFIG_KEY_1: 'http.https://github.com/.extraheader',
      GIT_CONFIG_VALUE_1: '',
      GIT_CONFIG_KEY_2: 'http.https://github.com/.extraheader',
      GIT_CONFIG_VALUE_2: HEADER,
    });
    expect(gitAuthEnvironment('https://github.com', '')).toEqual({});
    const root = await mkdtemp(join(tmpdir(), 'hydrate-auth-'));
    try {
      await git(root, 'init', '--quiet', 'r');
      const repo = new GitRepository(join(root, 'r'));
      const seen = await repo.run(['config', '--get-all', 'http.https://github.com/.extraheader'], {
        env: gitAuthEnvironment('https://github.com', TOKEN, {}),
      });
      expect(seen.split('\n')).toEqual(['', HEADER]);
      expect(await readFile(join(root, 'r', '.git', 'config'), 'utf8')).not.toContain('extraheader');
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
