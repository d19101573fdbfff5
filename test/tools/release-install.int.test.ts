import { createHash } from 'node:crypto';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { resolveTool, type InstallMethod } from '../../src/tools/resolve.js';
import { toolSpec, type ToolSpec } from '../../src/tools/manifest.js';
import { currentPlatform } from '../../src/tools/platform.js';
import { writeGoModuleVersion } from '../support/go-module-proxy.js';
import { helmReleaseArchive } from '../support/release-archive.js';
import { startLocalServer, staticFiles, type LocalServer } from '../support/static-server.js';

// Off a runner, `auto` installs into the helmfile-hydrate cache: the verified release archive
// first, the Go build when the archive cannot be downloaded. Real archives over real HTTP on
// 127.0.0.1; the Go build is the real Go toolchain building a small module served from a
// file:// module proxy, so nothing here needs the network.
describe('installing a tool off a runner', () => {
  const platform = currentPlatform();
  // A version other than tools.json's, as a repository's pin file asks for.
  const version = '4.3.0';
  const archiveName = `helm-v${version}-${platform.os}-${platform.arch}.tar.gz`;
  const module = 'example.test/helm/v4';
  let work: string;
  let archive: Buffer;
  let server: LocalServer;
  let closedPortUrl: string;
  let files: Record<string, Buffer | string>;
  let cache: string;
  const savedEnv = { ...process.env };

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'hydrate-install-'));
    archive = await helmReleaseArchive(work, platform, version);
    files = {};
    server = await startLocalServer((request, response) => staticFiles(files)(request, response));
    const closed = await startLocalServer(() => {});
    closedPortUrl = closed.url;
    await closed.close();

    // What `go install` builds: a program that prints the version -ldflags stamps into it.
    await writeGoModuleVersion(join(work, 'goproxy'), module, `v${version}`, {
      'go.mod': `module ${module}\n\ngo 1.21\n`,
      'cmd/helm/main.go': 'package main\n\nimport "fmt"\n\nvar version = "unstamped"\n\nfunc main() { fmt.Println(version) }\n',
    });
    Object.assign(process.env, {
      GOPROXY: `file://${join(work, 'goproxy')}`,
      GONOSUMDB: 'example.test',
      GOMODCACHE: join(work, 'gomodcache'),
      GOTOOLCHAIN: 'local',
    });
    // Not a runner: the cache and the two install methods below are the path taken.
    delete process.env.GITHUB_ACTIONS;
    delete process.env.RUNNER_TOOL_CACHE;
  });

  afterAll(async () => {
    await server.close();
    // The module cache is read-only by design; go clean removes it.
    await execa('go', ['clean', '-modcache'], { env: { GOMODCACHE: join(work, 'gomodcache') } }).catch(() => undefined);
    process.env = savedEnv;
    await rm(work, { recursive: true, force: true });
  });

  beforeEach(async () => {
    for (const key of Object.keys(files)) delete files[key];
    server.requests.length = 0;
    files[`/${archiveName}`] = archive;
    files[`/${archiveName}.sha256sum`] = `${digest()}  ${archiveName}\n`;
    cache = await mkdtemp(join(work, 'cache-'));
  });

  const digest = () => createHash('sha256').update(archive).digest('hex');

  /** tools.json's helm with its URLs on the local server, its Go source the local module, and a digest pinned for tools.json's version. */
  function spec(baseUrl = server.url): ToolSpec {
    const pinned = toolSpec('helm');
    return {
      ...pinned,
      go: { module, package: `${module}/cmd/helm`, ldflags: '-X main.version=v{version}' },
      release: {
        ...pinned.release,
        url: `${baseUrl}/helm-v{version}-{os}-{arch}.tar.gz`,
        checksumUrl: `${server.url}/helm-v{version}-{os}-{arch}.tar.gz.sha256sum`,
        // The digest of another archive: it belongs to tools.json's version and must not be used for this one.
        sha256: { [`${platform.os}-${platform.arch}`]: 'ab'.repeat(32) },
      },
    };
  }

  async function resolve(installMethod: InstallMethod, baseUrl?: string) {
    const log: string[] = [];
    const tool = await resolveTool('helm', {
      installMethod,
      version,
      spec: spec(baseUrl),
      cacheDirectory: cache,
      searchPath: '',
      log: (message) => log.push(message),
    });
    return { tool, log: log.join('\n') };
  }

  const cachedPath = () => join(cache, 'tools', 'helm', version, 'helm');

  it('auto: installs the release archive, verified against the checksum file of that version, and reuses it', async () => {
    const { tool, log } = await resolve('auto');
    expect(tool).toEqual({ name: 'helm', version, path: cachedPath(), source: 'release-download' });
    expect((await execa(tool.path)).stdout).toBe(`v${version}`);
    expect(server.requests).toEqual([`GET /${archiveName}`, `GET /${archiveName}.sha256sum`]);
    expect(log).not.toContain('Go toolchain');

    const again = await resolve('auto');
    expect(again.tool).toEqual({ ...tool, source: 'cache' });
    expect(server.requests).toHaveLength(2);
  });

  it('auto: refuses an archive whose checksum does not match, installs nothing and builds nothing', async () => {
    files[`/${archiveName}.sha256sum`] = `${'cd'.repeat(32)}  ${archiveName}\n`;
    await expect(resolve('auto')).rejects.toThrow(
      `checksum mismatch for helm ${version} (${server.url}/${archiveName}): expected sha256 ${'cd'.repeat(32)}, got ${digest()}`,
    );
    // A Go build would have left its binary there.
    await expect(stat(cachedPath())).rejects.toThrow(/ENOENT/);
  });

  it('auto: builds with the Go toolchain when the archive answers 404, and says why', async () => {
    delete files[`/${archiveName}`];
    const { tool, log } = await resolve('auto');
    expect(tool).toEqual({ name: 'helm', version, path: cachedPath(), source: 'go-build' });
    expect((await execa(tool.path)).stdout).toBe(`v${version}`);
    expect(log).toContain(
      `${server.url}/${archiveName} cannot be downloaded: HTTP 404 Not Found; building helm ${version} with the Go toolchain instead`,
    );
  });

  it('auto: builds with the Go toolchain when the download server refuses the connection', async () => {
    const { tool, log } = await resolve('auto', closedPortUrl);
    expect(tool.source).toBe('go-build');
    expect(log).toContain(`${closedPortUrl}/${archiveName} cannot be downloaded: ECONNREFUSED; building helm ${version}`);
  });

  it('download: fails when the archive cannot be downloaded, with no Go build', async () => {
    delete files[`/${archiveName}`];
    await expect(resolve('download')).rejects.toThrow(`${server.url}/${archiveName} cannot be downloaded: HTTP 404 Not Found`);
    await expect(stat(cachedPath())).rejects.toThrow(/ENOENT/);
  });

  it('go: builds from source without asking for the archive', async () => {
    const { tool } = await resolve('go');
    expect(tool.source).toBe('go-build');
    expect(server.requests).toEqual([]);
  });
});
