import { access, constants } from 'node:fs/promises';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { goBuild } from './go-build.js';
import { toolSpec, type ToolName, type ToolSpec } from './manifest.js';
import { currentPlatform } from './platform.js';
import { installFromRelease } from './release-download.js';
import { probeVersion } from './version.js';

export type InstallMethod = 'auto' | 'go' | 'download';

export interface ResolveToolOptions {
  /** A path the user gave explicitly; used as is (a version mismatch is only reported). */
  explicitPath?: string;
  installMethod?: InstallMethod;
  /** Where Go-built tools are kept between runs; see `defaultCacheDirectory`. */
  cacheDirectory?: string;
  /** Overrides the pinned specification (tests point release URLs at a local server). */
  spec?: ToolSpec;
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
 * Finds a tool in this order: the explicit path, then `PATH` when it holds the pinned version,
 * then the cache, and installs it otherwise (release archive on a runner, `go` elsewhere).
 */
export function resolveTool(name: ToolName, options: ResolveToolOptions = {}): Promise<ResolvedTool> {
  const spec = options.spec ?? toolSpec(name);
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
    if (version !== spec.version)
      log(`warning: ${options.explicitPath} reports ${name} ${version}; helmfile-hydrate is tested with ${spec.version}`);
    return { name, version, path: options.explicitPath, source: 'explicit' };
  }

  for (const directory of (options.searchPath ?? process.env.PATH ?? '').split(delimiter).filter(Boolean)) {
    const candidate = join(directory, name);
    if ((await isExecutable(candidate)) && (await probeVersion(candidate, spec.versionArgs)) === spec.version) {
      return { name, version: spec.version, path: candidate, source: 'path' };
    }
  }

  const method = options.installMethod && options.installMethod !== 'auto' ? options.installMethod : onActionsRunner() ? 'download' : 'go';
  if (method === 'download') {
    const path = await installFromRelease(spec, currentPlatform(), { log });
    return { name, version: spec.version, path, source: 'release-download' };
  }

  const cached = join(options.cacheDirectory ?? defaultCacheDirectory(), 'tools', name, spec.version, name);
  if (await isExecutable(cached)) return { name, version: spec.version, path: cached, source: 'cache' };
  log(`installing ${name} ${spec.version} with the Go toolchain into ${cached} (first run only; takes a few minutes)`);
  await goBuild(spec, cached, { log });
  const built = await probeVersion(cached, spec.versionArgs);
  if (built !== spec.version)
    throw new Error(`built ${name} reports version ${built ?? 'unknown'}, expected ${spec.version}; check go.ldflags in tools.json`);
  return { name, version: spec.version, path: cached, source: 'go-build' };
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
