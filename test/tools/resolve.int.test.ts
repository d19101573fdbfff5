import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { childEnvironment } from '../../src/tools/child-environment.js';
import { resolveTool } from '../../src/tools/resolve.js';
import { toolSpec } from '../../src/tools/manifest.js';
import { parseGoModReplaces } from '../../src/tools/go-build.js';
import { findChecksum } from '../../src/tools/checksum.js';

describe('resolveTool', () => {
  let work: string;
  const helmVersion = toolSpec('helm').version;

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'hydrate-resolve-'));
  });
  afterAll(() => rm(work, { recursive: true, force: true }));

  async function program(dir: string, name: string, version: string): Promise<string> {
    await mkdir(dir, { recursive: true });
    const path = join(dir, name);
    await writeFile(path, `#!/bin/sh\necho "v${version}"\n`);
    await chmod(path, 0o755);
    return path;
  }

  it('uses an explicit path first, and the real helm reports its pinned version', async () => {
    const tool = await resolveTool('helm', { explicitPath: inject('helmPath') });
    expect(tool).toMatchObject({ source: 'explicit', version: helmVersion, path: inject('helmPath') });
  });

  it('refuses an explicit path that is not an executable', async () => {
    await expect(resolveTool('helm', { explicitPath: join(work, 'missing-helm') })).rejects.toThrow(
      /helm path ".*missing-helm" is not an executable file/,
    );
  });

  it('takes a tool from PATH only when it has the pinned version, else the cache', async () => {
    const cache = join(work, 'cache');
    const cached = await program(join(cache, 'tools', 'helm', helmVersion), 'helm', helmVersion);
    const right = join(work, 'right-bin');
    await program(right, 'helm', helmVersion);
    const wrong = join(work, 'wrong-bin');
    await program(wrong, 'helm', '3.0.0');

    expect(await resolveTool('helm', { searchPath: `${wrong}:${right}`, cacheDirectory: cache })).toMatchObject({
      source: 'path',
      path: join(right, 'helm'),
    });
    expect(await resolveTool('helm', { searchPath: wrong, cacheDirectory: cache })).toMatchObject({ source: 'cache', path: cached });
  });
});

describe('parseGoModReplaces', () => {
  it('reads single-line and block replace directives, ignoring comments', () => {
    const goMod = [
      'module example.com/x',
      'replace a.io/b => a.io/b v1.2.3',
      'replace (',
      '\t// pinned because of a bug',
      '\tk8s.io/api => k8s.io/api v0.35.4 // comment',
      ')',
      'require c.io/d v1.0.0',
    ].join('\n');
    expect(parseGoModReplaces(goMod)).toEqual(['a.io/b => a.io/b v1.2.3', 'k8s.io/api => k8s.io/api v0.35.4']);
  });
});

describe('findChecksum', () => {
  const digest = 'a'.repeat(64);
  it('reads sha256sum lists and single-digest files', () => {
    expect(findChecksum(`${'b'.repeat(64)}  other.tar.gz\n${digest}  helm.tar.gz\n`, 'helm.tar.gz')).toBe(digest);
    expect(findChecksum(`${digest} *dist/helm.tar.gz\n`, 'helm.tar.gz')).toBe(digest);
    expect(findChecksum(`${digest}\n`, 'helm.tar.gz')).toBe(digest);
    expect(findChecksum(`${digest}  other.tar.gz\n`, 'helm.tar.gz')).toBeUndefined();
  });
});

describe('childEnvironment', () => {
  it('withholds action inputs, runner credentials and tokens from child processes', async () => {
    const env = childEnvironment({
      PATH: process.env.PATH,
      INPUT_TOKEN: 'ghs_canary',
      ACTIONS_RUNTIME_TOKEN: 'rt',
      GITHUB_TOKEN: 'gt',
      HOME: '/home/x',
    });
    expect(env).toEqual({ PATH: process.env.PATH, HOME: '/home/x' });
    const printed = await execa('env', [], { env, extendEnv: false });
    expect(printed.stdout).not.toContain('canary');
  });
});
