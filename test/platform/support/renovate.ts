import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { childEnvironment } from '../../../src/tools/child-environment.js';
import { defaultCacheDirectory } from '../../../src/tools/resolve.js';

/**
 * Renovate is installed for the tests only, never as a project dependency: it is large and needs
 * Node 24 (its `engines`), while this project runs on Node 20. Both are pinned; the installation
 * is kept under the tool cache and reused.
 */
export const RENOVATE_VERSION = '44.121.2';
/** The Node.js release Renovate runs on, from the npm package `node-<os>-<arch>`; Renovate 44 needs ^24.11. */
export const RENOVATE_NODE_VERSION = '24.21.0';

export interface RenovateInstallation {
  directory: string;
  /** The Node 24 binary. */
  node: string;
  /** dist/renovate.js, the `renovate` command. */
  renovate: string;
  /** dist/config-validator.js, the `renovate-config-validator` command. */
  configValidator: string;
}

function layout(directory: string): RenovateInstallation {
  const modules = join(directory, 'node_modules');
  return {
    directory,
    node: join(modules, `node-${process.platform}-${process.arch}`, 'bin', 'node'),
    renovate: join(modules, 'renovate', 'dist', 'renovate.js'),
    configValidator: join(modules, 'renovate', 'dist', 'config-validator.js'),
  };
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

/**
 * `<cache>/renovate/<version>/`: installed with npm on first use (about a minute), reused after.
 * The install goes to a private directory renamed into place, so concurrent test workers never
 * see a half-installed tree.
 */
export async function installRenovate(
  options: { cacheDirectory?: string; log?: (message: string) => void } = {},
): Promise<RenovateInstallation> {
  const target = join(options.cacheDirectory ?? defaultCacheDirectory(), 'renovate', `${RENOVATE_VERSION}-node${RENOVATE_NODE_VERSION}`);
  const installed = layout(target);
  if ((await exists(installed.node)) && (await exists(installed.renovate))) return installed;

  const staging = `${target}.partial-${process.pid}-${Date.now()}`;
  await mkdir(staging, { recursive: true });
  options.log?.(`installing renovate ${RENOVATE_VERSION} and Node ${RENOVATE_NODE_VERSION} into ${target} (first run only)`);
  try {
    // --ignore-scripts: Renovate's native optional modules (re2, sqlite) would be compiled for the
    // Node running npm, not the Node 24 that runs Renovate; Renovate works without them.
    await execa(
      'npm',
      [
        'install',
        '--prefix',
        staging,
        '--no-audit',
        '--no-fund',
        '--ignore-scripts',
        '--loglevel=error',
        `renovate@${RENOVATE_VERSION}`,
        `node-${process.platform}-${process.arch}@${RENOVATE_NODE_VERSION}`,
      ],
      { env: childEnvironment(process.env), extendEnv: false, stdin: 'ignore' },
    );
    await rename(staging, target).catch(async (error: NodeJS.ErrnoException) => {
      // Another worker finished first; its installation is identical.
      if (!(await exists(installed.renovate))) throw error;
    });
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
  if (!(await exists(installed.node)) || !(await exists(installed.renovate))) {
    throw new Error(`renovate installation in ${target} is incomplete; delete the directory and run the tests again`);
  }
  return installed;
}

/** Environment for Renovate runs: no tokens, no user config, scratch directories of its own. */
export function renovateEnvironment(scratch: string, extra: Record<string, string> = {}): Record<string, string> {
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('RENOVATE_')));
  return childEnvironment(inherited, {
    RENOVATE_BASE_DIR: join(scratch, 'base'),
    RENOVATE_CACHE_DIR: join(scratch, 'cache'),
    // re2 is one of the native modules skipped above; Renovate then uses JavaScript RegExp.
    RENOVATE_X_IGNORE_RE2: 'true',
    LOG_FORMAT: 'json',
    ...extra,
  });
}

/** One dependency a Renovate manager found, as `--dry-run=extract` logs it. */
export interface ExtractedDependency {
  depName: string;
  packageName?: string;
  currentValue?: string;
  registryUrls?: string[];
  datasource?: string;
  skipReason?: string;
}

/** One file a manager read, with what it found in it. */
export interface ExtractedPackageFile {
  packageFile: string;
  datasource?: string;
  deps: ExtractedDependency[];
}

/**
 * What Renovate's managers find in `repository` (a directory holding renovate.json), by manager:
 * `--platform=local` reads the directory as the repository, `--dry-run=extract` stops after the
 * managers ran (no registry lookups, no branches; offline). The result is logged as `packageFiles`.
 */
export async function extractPackageFiles(
  renovate: RenovateInstallation,
  repository: string,
  scratch: string,
): Promise<Record<string, ExtractedPackageFile[]>> {
  const result = await execa(renovate.node, [renovate.renovate, '--platform=local', '--dry-run=extract'], {
    cwd: repository,
    env: renovateEnvironment(scratch, { LOG_LEVEL: 'debug' }),
    extendEnv: false,
    reject: false,
    stdin: 'ignore',
  });
  const lines = `${result.stdout}\n${result.stderr}`.split('\n').filter((line) => line.startsWith('{'));
  const report = lines
    .map((line) => JSON.parse(line) as { msg?: string; packageFiles?: Record<string, ExtractedPackageFile[]> })
    .find((entry) => entry.packageFiles);
  if (result.exitCode !== 0 || !report) {
    throw new Error(`renovate --dry-run=extract exited ${result.exitCode} without packageFiles:\n${lines.slice(-20).join('\n')}`);
  }
  return report.packageFiles!;
}
