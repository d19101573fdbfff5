import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A helm home of its own for one helmfile process.
 *
 * helm keeps repositories by *name* (repositories.yaml, the index cache and chart cache under
 * it). Two helmfile processes that share them race whenever one name points at two URLs (per
 * environment, or changed between base and head): one process then renders from the other's
 * repository. So every process gets fresh config, cache and data directories; what stays shared
 * is keyed by content or belongs to the user: helm's content cache (charts stored by the SHA-256
 * digest the repository index gives), the plugins, and the OCI registry logins.
 */
export interface IsolatedHelmHome {
  /** Variables to add to the child's environment. */
  env: Record<string, string>;
  remove(): Promise<void>;
}

export async function createIsolatedHelmHome(parentEnv: Readonly<Record<string, string | undefined>>): Promise<IsolatedHelmHome> {
  const root = await mkdtemp(join(tmpdir(), 'helmfile-hydrate-helm-'));
  const config = join(root, 'config');
  const cache = join(root, 'cache');
  const data = join(root, 'data');
  await Promise.all([config, cache, data].map((directory) => mkdir(directory)));
  const shared = sharedHelmPaths(parentEnv);
  return {
    env: {
      HELM_CONFIG_HOME: config,
      HELM_CACHE_HOME: cache,
      HELM_DATA_HOME: data,
      HELM_REPOSITORY_CONFIG: join(config, 'repositories.yaml'),
      HELM_REPOSITORY_CACHE: join(cache, 'repository'),
      // helmfile's own cache (remote helmfiles, fetched charts) lives under the user cache directory.
      XDG_CACHE_HOME: cache,
      HELM_PLUGINS: shared.plugins,
      HELM_REGISTRY_CONFIG: shared.registryConfig,
      HELM_CONTENT_CACHE: shared.contentCache,
    },
    remove: () => rm(root, { recursive: true, force: true }),
  };
}

/** helm's own defaults (helm.sh/helm/v4/pkg/helmpath) for what stays shared, honouring the user's variables. */
export function sharedHelmPaths(
  env: Readonly<Record<string, string | undefined>>,
  platform: NodeJS.Platform = process.platform,
  home: string = homedir(),
): { plugins: string; registryConfig: string; contentCache: string } {
  const base = helmBaseDirectories(env, platform, home);
  return {
    plugins: env.HELM_PLUGINS || join(base.data, 'plugins'),
    registryConfig: env.HELM_REGISTRY_CONFIG || join(base.config, 'registry', 'config.json'),
    contentCache: env.HELM_CONTENT_CACHE || join(base.cache, 'content'),
  };
}

function helmBaseDirectories(
  env: Readonly<Record<string, string | undefined>>,
  platform: NodeJS.Platform,
  home: string,
): { config: string; cache: string; data: string } {
  if (platform === 'darwin') {
    return {
      config: env.HELM_CONFIG_HOME || join(env.XDG_CONFIG_HOME || join(home, 'Library', 'Preferences'), 'helm'),
      cache: env.HELM_CACHE_HOME || join(env.XDG_CACHE_HOME || join(home, 'Library', 'Caches'), 'helm'),
      data: env.HELM_DATA_HOME || join(env.XDG_DATA_HOME || join(home, 'Library'), 'helm'),
    };
  }
  if (platform === 'win32') {
    const appData = env.APPDATA || join(home, 'AppData', 'Roaming');
    const temp = env.TEMP || join(home, 'AppData', 'Local', 'Temp');
    return {
      config: env.HELM_CONFIG_HOME || join(env.XDG_CONFIG_HOME || appData, 'helm'),
      cache: env.HELM_CACHE_HOME || join(env.XDG_CACHE_HOME || temp, 'helm'),
      data: env.HELM_DATA_HOME || join(env.XDG_DATA_HOME || appData, 'helm'),
    };
  }
  return {
    config: env.HELM_CONFIG_HOME || join(env.XDG_CONFIG_HOME || join(home, '.config'), 'helm'),
    cache: env.HELM_CACHE_HOME || join(env.XDG_CACHE_HOME || join(home, '.cache'), 'helm'),
    data: env.HELM_DATA_HOME || join(env.XDG_DATA_HOME || join(home, '.local', 'share'), 'helm'),
  };
}
