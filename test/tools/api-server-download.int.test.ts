import { chmod, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { resolveApiServer } from '../../src/tools/api-server-resolve.js';
import { apiServerSpec, type ApiServerSpec } from '../../src/tools/api-server-spec.js';
import { currentPlatform } from '../../src/tools/platform.js';
import { startLocalServer, staticFiles, type LocalServer } from '../support/static-server.js';

/** A real envtest archive with upstream's layout (`controller-tools/envtest/<program>`), each program a script printing its name. */
async function envtestArchive(work: string, archiveName: string, version: string, programs: readonly string[]): Promise<Buffer> {
  const tree = join(work, 'tree', 'controller-tools', 'envtest');
  await mkdir(tree, { recursive: true });
  for (const program of programs) {
    await writeFile(join(tree, program), `#!/bin/sh\necho "${program} ${version}"\n`);
    await chmod(join(tree, program), 0o755);
  }
  await execa('tar', ['-czf', join(work, archiveName), '-C', join(work, 'tree'), 'controller-tools']);
  return readFile(join(work, archiveName));
}

/** The pinned API server spec, its archive and checksum file served by `server`, with these pinned digests. */
function specServedBy(server: LocalServer, sha512: ApiServerSpec['release']['sha512']): ApiServerSpec {
  const spec = apiServerSpec();
  return {
    ...spec,
    release: {
      ...spec.release,
      url: `${server.url}/envtest-v{version}-{os}-{arch}.tar.gz`,
      checksumUrl: `${server.url}/envtest-releases.yaml`,
      sha512,
    },
  };
}

// The runner path of the API server: controller-tools' envtest archive, downloaded with
// @actions/tool-cache and checked by SHA-512 before anything is extracted. The archive is a real
// tar.gz the test builds with the layout upstream publishes, served over real HTTP.
describe('installing the API server from the envtest archive on a runner', () => {
  const platform = currentPlatform();
  const version = apiServerSpec().versions['1.35']!;
  const archiveName = `envtest-v${version}-${platform.os}-${platform.arch}.tar.gz`;
  let work: string;
  let archive: Buffer;
  let server: LocalServer;
  let files: Record<string, Buffer | string>;
  let cacheDirectory: string;
  const savedEnv = { ...process.env };

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'hydrate-envtest-'));
    archive = await envtestArchive(work, archiveName, version, ['kube-apiserver', 'etcd', 'kubectl']);
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
    process.env.RUNNER_TOOL_CACHE = join(runner, 'tool-cache');
    process.env.RUNNER_TEMP = join(runner, 'temp');
    cacheDirectory = join(runner, 'cache');
    for (const key of Object.keys(files)) delete files[key];
    server.requests.length = 0;
    files[`/${archiveName}`] = archive;
  });

  const digest = () => createHash('sha512').update(archive).digest('hex');

  const specWith = (sha512: ApiServerSpec['release']['sha512']) => specServedBy(server, sha512);

  const install = (spec: ApiServerSpec) => resolveApiServer({ kubernetesVersion: '1.35', installMethod: 'download', cacheDirectory, spec });

  it('checks the pinned SHA-512, installs kube-apiserver and etcd, and reuses them', async () => {
    const binaries = await install(specWith({ [version]: { [`${platform.os}-${platform.arch}`]: digest() } }));
    expect(binaries.source).toBe('release-download');
    expect((await execa(binaries.paths['kube-apiserver'])).stdout).toBe(`kube-apiserver ${version}`);
    expect((await execa(binaries.paths.etcd)).stdout).toBe(`etcd ${version}`);
    expect(server.requests.some((request) => request.includes('envtest-releases'))).toBe(false);
    const again = await install(specWith({}));
    expect(again).toEqual({ ...binaries, source: 'cache' });
    expect(server.requests.filter((request) => request.endsWith('.tar.gz'))).toHaveLength(1);
  });

  it('takes the digest controller-tools lists when none is pinned for the platform', async () => {
    files['/envtest-releases.yaml'] =
      `releases:\n  v${version}:\n    ${archiveName}:\n      hash: ${digest()}\n      selfLink: ${server.url}/${archiveName}\n`;
    const binaries = await install(specWith({}));
    expect((await execa(binaries.paths.etcd)).stdout).toBe(`etcd ${version}`);
  });

  it('refuses an archive whose digest does not match, and installs nothing', async () => {
    const wrong = 'cd'.repeat(64);
    await expect(install(specWith({ [version]: { [`${platform.os}-${platform.arch}`]: wrong } }))).rejects.toThrow(
      new RegExp(
        `checksum mismatch for the API server ${version.replace(/\./g, '\\.')} .*expected sha512 ${wrong}, got ${digest()}.*nothing was installed`,
      ),
    );
    await expect(readdir(cacheDirectory)).rejects.toThrow();
  });

  it('refuses to run an API server nobody lists a digest for', async () => {
    files['/envtest-releases.yaml'] = `releases:\n  v${version}:\n    some-other.tar.gz:\n      hash: ${digest()}\n`;
    await expect(install(specWith({}))).rejects.toThrow(
      new RegExp(`lists no SHA-512 for ${archiveName}; refusing to run an unverified API server`),
    );
    await expect(readdir(cacheDirectory)).rejects.toThrow();
  });
});

// Off a runner, `auto` tries the same verified archive before the Go build (minutes): a laptop
// with a network downloads; only an archive that cannot be fetched falls back to building.
describe('installing the API server off a runner with auto', () => {
  const platform = currentPlatform();
  const version = apiServerSpec().versions['1.35']!;
  const archiveName = `envtest-v${version}-${platform.os}-${platform.arch}.tar.gz`;
  let work: string;
  let archive: Buffer;
  let server: LocalServer;
  const savedEnv = { ...process.env };

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'hydrate-envtest-auto-'));
    archive = await envtestArchive(work, archiveName, version, ['kube-apiserver', 'etcd']);
    server = await startLocalServer((request, response) => staticFiles({ [`/${archiveName}`]: archive })(request, response));
    for (const name of ['GITHUB_ACTIONS', 'RUNNER_TOOL_CACHE', 'RUNNER_TEMP']) delete process.env[name];
  });
  afterAll(async () => {
    process.env = savedEnv;
    await server.close();
    await rm(work, { recursive: true, force: true });
  });

  const spec = (sha512: string) => specServedBy(server, { [version]: { [`${platform.os}-${platform.arch}`]: sha512 } });

  it('downloads and checks the envtest archive without a runner, and builds nothing', async () => {
    const cacheDirectory = await mkdtemp(join(work, 'cache-'));
    const log: string[] = [];
    const binaries = await resolveApiServer({
      kubernetesVersion: '1.35',
      installMethod: 'auto',
      cacheDirectory,
      spec: spec(createHash('sha512').update(archive).digest('hex')),
      log: (message) => log.push(message),
    });
    expect(binaries.source).toBe('release-download');
    expect((await execa(binaries.paths['kube-apiserver'])).stdout).toBe(`kube-apiserver ${version}`);
    expect(log.join('\n')).not.toMatch(/Go toolchain|building from source/);
  });

  it('stops at a digest that does not match instead of building', async () => {
    const cacheDirectory = await mkdtemp(join(work, 'cache-'));
    const log: string[] = [];
    await expect(
      resolveApiServer({
        kubernetesVersion: '1.35',
        installMethod: 'auto',
        cacheDirectory,
        spec: spec('ab'.repeat(64)),
        log: (m) => log.push(m),
      }),
    ).rejects.toThrow(/checksum mismatch for the API server/);
    expect(log.join('\n')).not.toMatch(/Go toolchain|building from source/);
  });
});
