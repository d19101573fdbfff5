import { join } from 'node:path';
import { buildApiServer } from './api-server-build.js';
import { downloadApiServer } from './api-server-download.js';
import { API_SERVER_PROGRAMS, apiServerSpec, apiServerVersionFor, type ApiServerProgram, type ApiServerSpec } from './api-server-spec.js';
import { DownloadUnavailableError } from './http-download.js';
import { currentPlatform } from './platform.js';
import { defaultCacheDirectory, isExecutable, onActionsRunner, type InstallMethod } from './resolve.js';

/** The programs of a local control plane, ready to start. */
export interface ApiServerBinaries {
  /** The release (`1.35.0`). */
  version: string;
  paths: Record<ApiServerProgram, string>;
  source: 'explicit' | 'cache' | 'go-build' | 'release-download';
}

export interface ResolveApiServerOptions {
  /** The Kubernetes version being validated (`1.35`, `1.35.2`): picks the pinned release of its minor. */
  kubernetesVersion: string;
  /** A directory holding `kube-apiserver` and `etcd` (e.g. an unpacked envtest archive); used as is. */
  explicitDirectory?: string;
  installMethod?: InstallMethod;
  cacheDirectory?: string;
  /** Where a downloaded, verified envtest archive is kept for later runs (see `downloadApiServer`). */
  archiveDirectory?: string;
  spec?: ApiServerSpec;
  log?: (message: string) => void;
}

const pending = new Map<string, Promise<ApiServerBinaries>>();

/**
 * kube-apiserver and etcd for `kubernetesVersion`: the explicit directory, else the cache, else
 * installed (the verified envtest archive; off a runner, with `auto`, the Go toolchain when the
 * archive cannot be downloaded). Parallel
 * callers share one installation.
 */
export function resolveApiServer(options: ResolveApiServerOptions): Promise<ApiServerBinaries> {
  const spec = options.spec ?? apiServerSpec();
  const version = apiServerVersionFor(options.kubernetesVersion, spec);
  const key = JSON.stringify([version, options.explicitDirectory, options.installMethod, options.cacheDirectory, options.archiveDirectory]);
  let promise = pending.get(key);
  if (!promise) {
    promise = locate(spec, version, options).finally(() => pending.delete(key));
    pending.set(key, promise);
  }
  return promise;
}

async function locate(spec: ApiServerSpec, version: string, options: ResolveApiServerOptions): Promise<ApiServerBinaries> {
  const log = options.log ?? (() => {});
  if (options.explicitDirectory) {
    const paths = programPaths(options.explicitDirectory);
    const missing = await missingPrograms(paths);
    if (missing.length) {
      throw new Error(
        `API server directory "${options.explicitDirectory}" has no executable ${missing.join(' or ')}; give a directory holding ` +
          'kube-apiserver and etcd (an unpacked envtest archive), or leave it empty to let helmfile-hydrate install them',
      );
    }
    return { version, paths, source: 'explicit' };
  }
  const directory = join(options.cacheDirectory ?? defaultCacheDirectory(), 'tools', 'kube-apiserver', version);
  const paths = programPaths(directory);
  if ((await missingPrograms(paths)).length === 0) return { version, paths, source: 'cache' };
  const method = options.installMethod ?? 'auto';
  const download = () =>
    downloadApiServer(spec, version, currentPlatform(), directory, { archiveDirectory: options.archiveDirectory, log });
  if (method === 'download' || (method === 'auto' && onActionsRunner())) {
    await download();
    return { version, paths, source: 'release-download' };
  }
  if (method === 'auto') {
    // Off a runner the verified archive is tried first: a laptop with a network needs neither Go
    // nor the minutes a build takes. Only an archive that cannot be fetched falls back to the
    // build; one whose digest does not match stops here.
    try {
      await download();
      return { version, paths, source: 'release-download' };
    } catch (error) {
      if (!(error instanceof DownloadUnavailableError)) throw error;
      log(`${error.message}; building from source instead`);
    }
  }
  log(`installing kube-apiserver and etcd ${version} with the Go toolchain into ${directory}`);
  await buildApiServer(spec, version, directory, { log });
  return { version, paths, source: 'go-build' };
}

function programPaths(directory: string): Record<ApiServerProgram, string> {
  return Object.fromEntries(API_SERVER_PROGRAMS.map((program) => [program, join(directory, program)])) as Record<ApiServerProgram, string>;
}

async function missingPrograms(paths: Record<ApiServerProgram, string>): Promise<ApiServerProgram[]> {
  const executable = await Promise.all(API_SERVER_PROGRAMS.map((program) => isExecutable(paths[program])));
  return API_SERVER_PROGRAMS.filter((_, index) => !executable[index]);
}
