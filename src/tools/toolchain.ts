import { delimiter, dirname } from 'node:path';
import { childEnvironment } from './child-environment.js';
import type { RepositoryPins } from './repository-pins.js';
import { resolveTool, type ResolvedTool, type ResolveToolOptions } from './resolve.js';
import { toolPins, type ToolPins } from './tool-pins.js';

/** The programs a render needs and the environment they run in. */
export interface Toolchain {
  helm: ResolvedTool;
  helmfile: ResolvedTool;
  /**
   * The versions asked for and which file chose each (`pinnedBy`: the repository's
   * `.helmfile-hydrate.yaml`, else `tools.json`). An explicit path runs whatever it is; its
   * `helm.version` says what it reported.
   */
  pins: ToolPins;
  /** Complete environment for child processes: secrets withheld, the pinned helm first on PATH. */
  env: Record<string, string>;
  /** The repository's pin file as read (its node declaration is the rehearsal's); absent when there is none. */
  pinFile?: RepositoryPins;
}

export interface ToolchainOptions extends Pick<ResolveToolOptions, 'installMethod' | 'cacheDirectory' | 'log'> {
  helmPath?: string;
  helmfilePath?: string;
  /** The repository's pin file (see `readRepositoryPins`); absent: tools.json's versions. */
  versions?: RepositoryPins;
  /** Extra variables for helm/helmfile, e.g. HELM_CACHE_HOME. */
  env?: Record<string, string>;
}

export async function prepareToolchain(options: ToolchainOptions = {}): Promise<Toolchain> {
  const common = { installMethod: options.installMethod, cacheDirectory: options.cacheDirectory, log: options.log };
  const pins = toolPins(options.versions);
  const [helm, helmfile] = await Promise.all([
    resolveTool('helm', { ...common, version: pins.helm.version, explicitPath: options.helmPath }),
    resolveTool('helmfile', { ...common, version: pins.helmfile.version, explicitPath: options.helmfilePath }),
  ]);
  const base = childEnvironment(process.env, options.env);
  // helmfile and helm plugins call `helm` by name; make that the pinned one.
  const env = { ...base, PATH: [dirname(helm.path), base.PATH ?? ''].filter(Boolean).join(delimiter) };
  return { helm, helmfile, pins, env, ...(options.versions ? { pinFile: options.versions } : {}) };
}
