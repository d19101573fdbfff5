import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GitRepository } from '../../src/git/git.js';
import { readRepositoryPins, readRepositoryPinsAt } from '../../src/tools/repository-pins-file.js';
import { REPOSITORY_PINS_FILE } from '../../src/tools/repository-pins.js';

const IDENTITY = { name: 'Fixture Author', email: 'fixture@example.com' };

describe('reading a repository pin file', () => {
  let directory: string;
  let git: GitRepository;
  let withoutPins: string;
  let withPins: string;

  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'hydrate-pins-'));
    git = new GitRepository(directory);
    await git.run(['init', '--quiet', '--initial-branch=main']);
    await writeFile(join(directory, 'README.md'), 'platform\n');
    await git.run(['add', '--all']);
    await git.run(['commit', '--quiet', '-m', 'no pins'], { identity: IDENTITY });
    withoutPins = (await git.revParse('HEAD')).trim();
    await writeFile(join(directory, REPOSITORY_PINS_FILE), 'helm: 4.3.0\nhelmfile: v1.8.0\n');
    await git.run(['add', '--all']);
    await git.run(['commit', '--quiet', '-m', 'pin the tools'], { identity: IDENTITY });
    withPins = (await git.revParse('HEAD')).trim();
    // The working tree moves on; the commits keep what they hold.
    await writeFile(join(directory, REPOSITORY_PINS_FILE), 'helm: 4.3.1\n');
  });
  afterAll(() => rm(directory, { recursive: true, force: true }));

  it('reads the working tree as it is, and nothing where there is no file', async () => {
    expect(await readRepositoryPins(directory)).toEqual({
      location: join(directory, REPOSITORY_PINS_FILE),
      versions: { helm: '4.3.1' },
      environments: new Map(),
    });
    expect(await readRepositoryPins(join(directory, '.git'))).toBeUndefined();
  });

  it('reads the file a commit holds (git show), and nothing from a commit without one', async () => {
    expect(await readRepositoryPinsAt(git, withPins, 'feature')).toEqual({
      location: `${REPOSITORY_PINS_FILE} on feature`,
      versions: { helm: '4.3.0', helmfile: '1.8.0' },
      environments: new Map(),
    });
    expect((await readRepositoryPinsAt(git, withPins))?.location).toBe(`${REPOSITORY_PINS_FILE} on ${withPins.slice(0, 12)}`);
    expect(await readRepositoryPinsAt(git, withoutPins)).toBeUndefined();
  });

  it('fails for a commit the repository does not have, rather than taking tools.json silently', async () => {
    await expect(readRepositoryPinsAt(git, 'f'.repeat(40))).rejects.toThrow(/git ls-tree .* failed/);
  });
});
