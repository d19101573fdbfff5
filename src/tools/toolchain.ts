import { delimiter, dirname } from 'node:path';
import { childEnvironment } from './child-environment.js';
import { resolveTool, type ResolvedTool, type ResolveToolOptions } from './resolve.js';

/** The programs a render needs and the environment they run in. */
export interface Toolchain {
  helm: ResolvedTool;
  helmfile: ResolvedTool;
  /** Complete environment for child processes: secrets withheld, the pinned helm first on PATH. */
  env: Record<string, string>;
}

export interface ToolchainOptions extends Pick<ResolveToolOptions, 'installMethod' | 'cacheDirectory' | 'log'> {
  helmPath?: string;
  helmfilePath?: string;
  /** Extra variables for helm/helmfile, e.g. HELM_CACHE_HOME. */
  env?: Record<string, string>;
}

export async function prepareToolchain(options: ToolchainOptions = {}): Promise<Toolchain> {
  const common = { installMethod: options.installMethod, cacheDirectory: options.cacheDirectory, log: options.log };
  const [helm, helmfile] = await Promise.all([
    resolveTool('helm', { ...common, explicitPath: options.helmPath }),
    resolveTool('helmfile', { ...common, explicitPath: options.helmfilePath }),
  ]);
  const base = childEnvironment(process.env, options.env);
  // helmfile and helm plugins call `helm` by name; make that the pinned one.
  const env = { ...base, PATH: [dirname(helm.path), base.PATH ?? ''].filter(Boolean).join(delimiter) };
  return { helm, helmfile, env };
}
