import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { resolveTool } from '../../src/tools/resolve.js';
import { toolSpec, type ToolSpec } from '../../src/tools/manifest.js';
import { currentPlatform } from '../../src/tools/platform.js';
import { helmReleaseArchive } from '../support/release-archive.js';
import { startLocalServer, staticFiles, type LocalServer } from '../support/static-server.js';

// The runner path: the official archive is downloaded with @actions/tool-cache and its SHA-256
// checked before use. The archive here is a real tar.gz the test builds, served over real HTTP.
describe('installing a release archive on a runner', () => {
  const platform = currentPlatform();
  // The version tools.json pins, so a Renovate bump needs no edit here.
  const version = toolSpec('helm').version;
  const versionPattern = version.replace(/\./g, '\\.');
  const archiveName = `helm-v${version}-${platform.os}-${platform.arch}.tar.gz`;
  let work: string;
  let archive: Buffer;
  let server: LocalServer;
  let files: Record<string, Buffer | string>;
  const savedEnv = { ...process.env };

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'hydrate-release-'));
    archive = await helmReleaseArchive(work, platform, version);
    files = {};
    server = await startLocalServer((request, response) => staticFiles(files)(request, response));
  });

  afterAll(async () => {
    await server.close();
    await rm(work, { recursive: true, force: true });
    process.env = savedEnv;
  });

  beforeEach(async () => {
    const runner = await mkdtemp(join(work, 'runner-'));
    process.env.GITHUB_ACTIONS = 'true';
    process.env.RUNNER_TOOL_CACHE = join(runner, 'tool-cache');
    process.env.RUNNER_TEMP = join(runner, 'temp');
    for (const key of Object.keys(files)) delete files[key];
    server.requests.length = 0;
    files[`/${archiveName}`] = archive;
  });

  function specWith(release: Partial<ToolSpec['release']>): ToolSpec {
    const spec = toolSpec('helm');
    return {
      ...spec,
      release: {
        ...spec.release,
        url: `${server.url}/helm-v{version}-{os}-{arch}.tar.gz`,
        checksumUrl: `${server.url}/helm-v{version}-{os}-{arch}.tar.gz.sha256sum`,
        ...release,
      },
    };
  }

  const digest = () => createHash('sha256').update(archive).digest('hex');

  it('verifies the archive against the published checksum file, installs and reuses it', async () => {
    files[`/${archiveName}.sha256sum`] = `${digest()}  ${archiveName}\n`;
    const tool = await resolveTool('helm', { installMethod: 'download', spec: specWith({}), searchPath: '' });
    expect(tool.source).toBe('release-download');
    expect(tool.path.startsWith(process.env.RUNNER_TOOL_CACHE!)).toBe(true);
    expect((await execa(tool.path)).stdout).toBe(`v${version}`);

    const downloads = server.requests.filter((r) => r.endsWith('.tar.gz')).length;
    const again = await resolveTool('helm', {
      installMethod: 'download',
      spec: specWith({ checksumUrl: `${server.url}/other` }),
      searchPath: '',
    });
    expect(again.path).toBe(tool.path);
    expect(server.requests.filter((r) => r.endsWith('.tar.gz')).length).toBe(downloads);
  });

  it('prefers a digest pinned in tools.json', async () => {
    const tool = await resolveTool('helm', {
      installMethod: 'download',
      spec: specWith({ sha256: { [`${platform.os}-${platform.arch}`]: digest() } }),
      searchPath: '',
    });
    expect((await execa(tool.path)).stdout).toBe(`v${version}`);
    expect(server.requests.some((r) => r.includes('sha256sum'))).toBe(false);
  });

  it('refuses an archive whose checksum does not match, and installs nothing', async () => {
    const wrong = 'ab'.repeat(32);
    await expect(
      resolveTool('helm', {
        installMethod: 'download',
        spec: specWith({ sha256: { [`${platform.os}-${platform.arch}`]: wrong } }),
        searchPath: '',
      }),
    ).rejects.toThrow(
      new RegExp(`checksum mismatch for helm ${versionPattern} .*expected sha256 ${wrong}, got ${digest()}.*nothing was installed`),
    );
    await expect(readdir(process.env.RUNNER_TOOL_CACHE!)).rejects.toThrow();
  });

  it('refuses to run a tool when no checksum can be found for it', async () => {
    files[`/${archiveName}.sha256sum`] = `${digest()}  some-other-file.tar.gz\n`;
    await expect(resolveTool('helm', { installMethod: 'download', spec: specWith({}), searchPath: '' })).rejects.toThrow(
      new RegExp(`lists no SHA-256 for helm-v${versionPattern}-.*refusing to run an unverified helm`),
    );
  });

  it('fails clearly when the archive cannot be downloaded', async () => {
    delete files[`/${archiveName}`];
    await expect(resolveTool('helm', { installMethod: 'download', spec: specWith({}), searchPath: '' })).rejects.toThrow(/404/);
  });
});
