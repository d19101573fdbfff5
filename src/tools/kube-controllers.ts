import toolsManifest from '../../tools.json' with { type: 'json' };
import { chmod, mkdir, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { withTemporaryDirectory } from '../fs/temporary-directory.js';
import { buildKubernetesPrograms } from './api-server-build.js';
import { apiServerLdflags, apiServerSpec, apiServerVersionFor, type ApiServerSpec } from './api-server-spec.js';
import { ChecksumMismatchError } from './release-digest.js';
import { digestOfFile } from './checksum.js';
import { DownloadUnavailableError, downloadText, downloadToFile } from './http-download.js';
import { currentPlatform, type Platform } from './platform.js';
import { defaultCacheDirectory, isExecutable, onActionsRunner, type InstallMethod } from './resolve.js';

/** The programs of the rehearsal level that run beside the API server: the controllers and the scheduler. */
export const CONTROLLER_PROGRAMS = ['kube-controller-manager', 'kube-scheduler'] as const;
export type ControllerProgram = (typeof CONTROLLER_PROGRAMS)[number];

/** `tools.json` → `kube-controllers`: the packages to build and where the official binaries are published. */
export interface KubeControllersSpec {
  packages: Record<ControllerProgram, string>;
  release: {
    /** `{version}`, `{os}`, `{arch}`, `{program}` are filled in. */
    url: string;
    /** A file holding the bare SHA-512 of the binary (dl.k8s.io publishes one beside each). */
    checksumUrl: string;
  };
}

export interface ControllerBinaries {
  version: string;
  paths: Record<ControllerProgram, string>;
  source: 'cache' | 'go-build' | 'release-download';
}

export interface ResolveControllersOptions {
  kubernetesVersion: string;
  installMethod?: InstallMethod;
  cacheDirectory?: string;
  log?: (message: string) => void;
  apiServer?: ApiServerSpec;
  spec?: KubeControllersSpec;
}

export function kubeControllersSpec(): KubeControllersSpec {
  const entry = (toolsManifest as Record<string, unknown>)['kube-controllers'] as KubeControllersSpec | undefined;
  if (!entry) throw new Error('tools.json has no "kube-controllers" entry: add one with packages and release.');
  return entry;
}

const pending = new Map<string, Promise<ControllerBinaries>>();

/**
 * kube-controller-manager and kube-scheduler of the release the API server of `kubernetesVersion`
 * runs: the cache, else the official binaries (SHA-512 checked; on runners, and first off them),
 * else built with Go in the API server's module copy. Parallel callers share one installation.
 */
export function resolveKubeControllers(options: ResolveControllersOptions): Promise<ControllerBinaries> {
  const apiServer = options.apiServer ?? apiServerSpec();
  const version = apiServerVersionFor(options.kubernetesVersion, apiServer);
  const key = JSON.stringify([version, options.installMethod, options.cacheDirectory]);
  let promise = pending.get(key);
  if (!promise) {
    promise = locate(apiServer, options.spec ?? kubeControllersSpec(), version, options).finally(() => pending.delete(key));
    pending.set(key, promise);
  }
  return promise;
}

async function locate(
  apiServer: ApiServerSpec,
  spec: KubeControllersSpec,
  version: string,
  options: ResolveControllersOptions,
): Promise<ControllerBinaries> {
  const log = options.log ?? (() => {});
  const directory = join(options.cacheDirectory ?? defaultCacheDirectory(), 'tools', 'kube-controllers', version);
  const paths = Object.fromEntries(CONTROLLER_PROGRAMS.map((program) => [program, join(directory, program)])) as Record<
    ControllerProgram,
    string
  >;
  const present = await Promise.all(CONTROLLER_PROGRAMS.map((program) => isExecutable(paths[program])));
  if (present.every(Boolean)) return { version, paths, source: 'cache' };
  const method = options.installMethod ?? 'auto';
  if (method !== 'go') {
    try {
      await downloadControllers(spec, version, currentPlatform(), directory, log);
      return { version, paths, source: 'release-download' };
    } catch (error) {
      if (method === 'download' || onActionsRunner() || !(error instanceof DownloadUnavailableError)) throw error;
      log(`${error.message}; building from source instead`);
    }
  }
  log(`installing kube-controller-manager and kube-scheduler ${version} with the Go toolchain into ${directory}`);
  const targets = CONTROLLER_PROGRAMS.map((program) => ({
    program,
    package: spec.packages[program],
    ldflags: apiServerLdflags(apiServer, version),
  }));
  await buildKubernetesPrograms(apiServer, version, directory, targets, { log });
  return { version, paths, source: 'go-build' };
}

/** Downloads both official binaries into a temporary directory beside `directory`, checks each, then moves them in. */
async function downloadControllers(
  spec: KubeControllersSpec,
  version: string,
  platform: Platform,
  directory: string,
  log: (message: string) => void,
): Promise<void> {
  await mkdir(directory, { recursive: true });
  await withTemporaryDirectory(
    '.download-',
    async (work) => {
      for (const program of CONTROLLER_PROGRAMS) {
        const expand = (template: string) =>
          template.replace(/\{(version|os|arch|program)\}/g, (_, key: string) =>
            key === 'version' ? version : key === 'os' ? platform.os : key === 'arch' ? platform.arch : program,
          );
        const url = expand(spec.release.url);
        log(`downloading ${url}`);
        const expected = (await downloadText(expand(spec.release.checksumUrl))).trim().split(/\s+/)[0]!.toLowerCase();
        const file = join(work, program);
        await downloadToFile(url, file);
        const actual = await digestOfFile(file, 'sha512');
        if (actual !== expected)
          throw new ChecksumMismatchError(`checksum mismatch for ${url}: expected sha512 ${expected}, got ${actual}`);
        await chmod(file, 0o755);
      }
      for (const program of CONTROLLER_PROGRAMS) await rename(join(work, program), join(directory, program));
    },
    directory,
  );
}
