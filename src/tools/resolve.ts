import { access, constants, rm } from 'node:fs/promises';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { goBuild } from './go-build.js';
import { DownloadUnavailableError } from './http-download.js';
import { specAtVersion, toolSpec, type ToolName, type ToolSpec } from './manifest.js';
import { currentPlatform } from './platform.js';
import { installFromRelease } from './release-download.js';
import { installReleaseInto } from './release-install.js';
import { probeVersion } from './version.js';

export type InstallMethod = 'auto' | 'go' | 'download';

export interface ResolveToolOptions {
  /** A path the user gave explicitly; used as is (a version mismatch is only reported). */
  explicitPath?: string;
  installMethod?: InstallMethod;
  /** Where installed tools are kept between runs (off runners); see `defaultCacheDirectory`. */
  cacheDirectory?: string;
  /** Overrides the pinned specification (tests point release URLs at a local server). */
  spec?: ToolSpec;
  /** The release to use when it is not the spec's (a repository's pin file); see `specAtVersion`. */
  version?: string;
  /** Search path for an already installed tool; defaults to `PATH`. */
  searchPath?: string;
  log?: (message: string) => void;
}

export interface ResolvedTool {
  name: ToolName;
  version: string;
  path: string;
  source: 'explicit' | 'path' | 'cache' | 'go-build' | 'release-download';
}

/** `$HELMFILE_HYDRATE_CACHE`, else `$XDG_CACHE_HOME/helmfile-hydrate`, else `~/.cache/helmfile-hydrate`. */
export function defaultCacheDirectory(env: NodeJS.ProcessEnv = process.env): string {
  if (env.HELMFILE_HYDRATE_CACHE) return env.HELMFILE_HYDRATE_CACHE;
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'helmfile-hydrate');
}

/** True on a GitHub-hosted or self-hosted Actions runner, where release archives are the source. */
export function onActionsRunner(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.GITHUB_ACTIONS === 'true' && Boolean(env.RUNNER_TOOL_CACHE);
}

const pending = new Map<string, Promise<ResolvedTool>>();

/**
 * Finds a tool in this order: the explicit path, then `PATH` when it holds the version asked for,
 * then the cache, and installs it otherwise (see `install`).
 */
export function resolveTool(name: ToolName, options: ResolveToolOptions = {}): Promise<ResolvedTool> {
  const spec = specAtVersion(options.spec ?? toolSpec(name), options.version);
  const key = JSON.stringify([name, spec, options.explicitPath, options.installMethod, options.cacheDirectory, options.searchPath]);
  let promise = pending.get(key);
  if (!promise) {
    // Only lookups under way are shared (two parallel callers must not build the same tool twice);
    // a finished lookup is not remembered, since PATH, the cache or the runner may change.
    promise = locate(name, spec, options).finally(() => pending.delete(key));
    pending.set(key, promise);
  }
  return promise;
}

async function locate(name: ToolName, spec: ToolSpec, options: ResolveToolOptions): Promise<ResolvedTool> {
  const log = options.log ?? (() => {});
  if (options.explicitPath) {
    if (!(await isExecutable(options.explicitPath))) {
      throw new Error(
        `${name} path "${options.explicitPath}" is not an executable file; fix the path or leave it empty to let helmfile-hydrate ` +
          `install ${name} ${spec.version}`,
      );
    }
    const version = (await probeVersion(options.explicitPath, spec.versionArgs)) ?? 'unknown';
    if (version !== spec.version) log(`warning: ${options.explicitPath} reports ${name} ${version}; the pinned version is ${spec.version}`);
    return { name, version, path: options.explicitPath, source: 'explicit' };
  }

  for (const directory of (options.searchPath ?? process.env.PATH ?? '').split(delimiter).filter(Boolean)) {
    const candidate = join(directory, name);
    if ((await isExecutable(candidate)) && (await probeVersion(candidate, spec.versionArgs)) === spec.version) {
      return { name, version: spec.version, path: candidate, source: 'path' };
    }
  }

  const method = options.installMethod ?? 'auto';
  if (onActionsRunner() && method !== 'go') {
    try {
      const path = await installFromRelease(spec, currentPlatform(), { log });
      return { name, version: spec.version, path, source: 'release-download' };
    } catch (error) {
      // A release without a published checksum file (KWOK's) cannot be verified: with `auto` the runner's Go
      // builds it instead, as off runners. A digest that does not match is never a reason to build.
      if (method === 'download' || !(error instanceof DownloadUnavailableError)) throw error;
      log(`${error.message}; building ${name} ${spec.version} with the Go toolchain instead`);
    }
  }
  const cached = join(options.cacheDirectory ?? defaultCacheDirectory(), 'tools', name, spec.version, name);
  if (await isExecutable(cached)) return { name, version: spec.version, path: cached, source: 'cache' };
  return install(spec, cached, method, log);
}

/**
 * Installs `spec` as the file `destination` off a runner: `download` the verified release archive,
 * `go` a build from source; `auto` the archive, and the Go build when the archive or its checksum
 * file cannot be fetched. An archive whose checksum does not match is never a reason to build
 * instead: that error is raised as it is.
 */
async function install(spec: ToolSpec, destination: string, method: InstallMethod, log: (message: string) => void): Promise<ResolvedTool> {
  const { name, version } = spec;
  if (method !== 'go') {
    try {
      log(`installing ${name} ${version} from its release archive into ${destination} (first run only)`);
      await installReleaseInto(spec, currentPlatform(), destination, { log });
      await checkInstalledVersion(spec, destination, `the release archive's ${name}`);
      return { name, version, path: destination, source: 'release-download' };
    } catch (error) {
      if (method === 'download' || !(error instanceof DownloadUnavailableError)) throw error;
      log(`${error.message}; building ${name} ${version} with the Go toolchain instead`);
    }
  }
  log(`installing ${name} ${version} with the Go toolchain into ${destination} (first run only; takes a few minutes)`);
  await goBuild(spec, destination, { log });
  await checkInstalledVersion(spec, destination, `built ${name}`);
  return { name, version, path: destination, source: 'go-build' };
}

async function checkInstalledVersion(spec: ToolSpec, path: string, what: string): Promise<void> {
  const reported = await probeVersion(path, spec.versionArgs);
  if (reported === spec.version) return;
  await rm(path, { force: true });
  throw new Error(`${what} reports version ${reported ?? 'unknown'}, expected ${spec.version}; check go.ldflags and release in tools.json`);
}

/** True when `path` is a file this process may execute. */
export async function isExecutable(path: string): Promise<boolean> {
  try {
    await access(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
