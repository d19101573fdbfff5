import { cp, mkdir, rename, stat, writeFile } from 'node:fs/promises';
import { withTemporaryDirectory } from '../fs/temporary-directory.js';
import { basename, dirname, join, resolve } from 'node:path';
import {
  fileDigest,
  filesUnder,
  formatOwnershipRecord,
  looksRendered,
  OWNERSHIP_FILE,
  readOwnershipRecord,
  type OwnershipRecord,
} from './ownership.js';
import type { EnvironmentManifests } from '../model/manifests.js';

export interface WriteManifestTreeOptions {
  /** Environments no longer declared: the files render wrote for them are removed. */
  removeEnvironments?: readonly string[];
}

/** A file under a release directory that render did not write: nothing is written or deleted. */
export class ForeignFileError extends Error {
  constructor(readonly paths: readonly string[]) {
    super(
      `${paths.map((path) => `"${path}"`).join(', ')} ${paths.length === 1 ? 'is' : 'are'} under a release directory of the output ` +
        `but ${paths.length === 1 ? 'was' : 'were'} not written by helmfile-hydrate; ` +
        'nothing was written or deleted. Release directories hold only rendered resources (Argo CD applies everything in them): move ' +
        'the file out of the release directory, or delete it',
    );
    this.name = 'ForeignFileError';
  }
}

/** One environment's directory as a write leaves it. */
export interface EnvironmentPlan {
  environment: string;
  /** Files to write, relative to the environment directory. */
  resources: { path: string; content: string }[];
  /** Files render did not write and that sit outside release directories: kept as they are. */
  kept: string[];
  /** Whether the directory exists afterwards (an environment that was rendered keeps it even when empty). */
  keepDirectory: boolean;
}

/** What replacing environments in an output directory does, decided before anything is written. */
export interface ManifestTreePlan {
  /** Every environment whose directory is replaced, in the order given (written ones first, then removed ones). */
  environments: EnvironmentPlan[];
  /** The ownership record after the write. */
  record: OwnershipRecord;
}

/** The output directory as it is before a write. */
export interface ExistingManifestTree {
  /** Every file under the output directory, relative and `/`-separated (symbolic links included as files). */
  files: readonly string[];
  /** Its ownership record, undefined when there is none (a tree written before records existed). */
  record: OwnershipRecord | undefined;
}

/**
 * Decides how the given environments' directories are replaced (pure): exactly the rendered
 * resources, plus the files render did not write outside release directories. Only files render
 * wrote are dropped (the ownership record says which); a foreign file under a release directory
 * throws ForeignFileError, so nothing is written.
 */
export function planManifestTree(
  existingTree: ExistingManifestTree,
  environments: readonly EnvironmentManifests[],
  options: WriteManifestTreeOptions = {},
): ManifestTreePlan {
  const hadRecord = existingTree.record !== undefined;
  const record = structuredClone(existingTree.record ?? legacyOwnershipOf(existingTree.files));
  const plans: EnvironmentPlan[] = [];
  const foreign: string[] = [];
  const planned = [
    ...environments.map((environment) => ({
      name: environment.environment,
      resources: environment.releases.flatMap((release) => release.resources),
    })),
    ...(options.removeEnvironments ?? [])
      .filter((name) => !environments.some((environment) => environment.environment === name))
      .map((name) => ({ name, resources: [] })),
  ];
  for (const { name, resources } of planned) {
    const owned = hadRecord ? new Set(record.environments[name] ?? []) : undefined;
    const isOwned = (file: string) =>
      owned ? owned.has(`${name}/${file}`) : file.split('/').length === 2 && looksRendered(basename(file));
    const existing = existingTree.files.filter((file) => file.startsWith(`${name}/`)).map((file) => file.slice(name.length + 1));
    const releaseDirectories = new Set([
      ...resources.map((resource) => resource.path.split('/')[1]!),
      ...existing.filter(isOwned).map((file) => file.split('/')[0]!),
    ]);
    const kept: string[] = [];
    for (const file of existing) {
      if (isOwned(file)) continue;
      if (file.includes('/') && releaseDirectories.has(file.split('/')[0]!)) foreign.push(`${name}/${file}`);
      else kept.push(file);
    }
    plans.push({
      environment: name,
      resources: resources.map((resource) => ({ path: resource.path.slice(name.length + 1), content: resource.content })),
      kept,
      // An environment whose releases all render is never empty; keep its directory regardless.
      keepDirectory: resources.length > 0 || kept.length > 0 || environments.some((environment) => environment.environment === name),
    });
  }
  if (foreign.length > 0) throw new ForeignFileError(foreign);
  // After every environment is planned: ownership above is that of the tree before the write.
  for (const plan of plans) {
    const written = environments.find((environment) => environment.environment === plan.environment);
    if (plan.resources.length > 0 || written) {
      record.environments[plan.environment] = plan.resources.map((resource) => `${plan.environment}/${resource.path}`);
      for (const resource of plan.resources) (record.digests ??= {})[`${plan.environment}/${resource.path}`] = fileDigest(resource.content);
      if (written?.tools) (record.tools ??= {})[plan.environment] = written.tools;
      else delete record.tools?.[plan.environment];
      const fingerprints = Object.fromEntries(
        (written?.releases ?? []).flatMap((release) => (release.fingerprint ? [[release.release.name, release.fingerprint] as const] : [])),
      );
      (record.fingerprints ??= {})[plan.environment] = fingerprints;
    } else {
      delete record.environments[plan.environment];
      delete record.fingerprints?.[plan.environment];
      delete record.tools?.[plan.environment];
    }
  }
  return { environments: plans, record };
}

/**
 * Replaces the rendered files of every given environment with exactly the rendered resources
 * and removes those of `removeEnvironments` (see planManifestTree). Everything is written to a
 * staging tree beside `outputDir` first and each environment directory is swapped in with a
 * rename, so a failed write never leaves a half-written environment.
 */
export async function writeManifestTree(
  outputDir: string,
  environments: readonly EnvironmentManifests[],
  options: WriteManifestTreeOptions = {},
): Promise<void> {
  await mkdir(outputDir, { recursive: true });
  const plan = planManifestTree(
    { files: await filesUnder(outputDir), record: await readOwnershipRecord(outputDir) },
    environments,
    options,
  );
  const outputPath = resolve(outputDir);
  await withTemporaryDirectory(
    `.${basename(outputPath)}.staging-`,
    async (staging) => {
      await mkdir(join(staging, 'new'));
      await mkdir(join(staging, 'old'));
      for (const environmentPlan of plan.environments) {
        const target = join(staging, 'new', environmentPlan.environment);
        for (const resource of environmentPlan.resources) {
          const path = join(target, ...resource.path.split('/'));
          await mkdir(dirname(path), { recursive: true });
          await writeFile(path, resource.content);
        }
        for (const file of environmentPlan.kept) {
          await mkdir(dirname(join(target, file)), { recursive: true });
          await cp(join(outputDir, environmentPlan.environment, file), join(target, file), {
            verbatimSymlinks: true,
            preserveTimestamps: true,
          });
        }
        if (environmentPlan.keepDirectory) await mkdir(target, { recursive: true });
      }
      for (const { environment } of plan.environments) {
        const current = join(outputDir, environment);
        if (await exists(current)) await rename(current, join(staging, 'old', environment));
        if (await exists(join(staging, 'new', environment))) await rename(join(staging, 'new', environment), current);
      }
      await writeRecord(outputDir, plan.record, staging);
    },
    dirname(outputPath),
  );
}

/** For a tree written before ownership records: the files named as render names them, per environment. */
function legacyOwnershipOf(files: readonly string[]): OwnershipRecord {
  const environments: Record<string, string[]> = {};
  for (const file of files) {
    const parts = file.split('/');
    if (parts.length === 3 && looksRendered(parts[2]!)) (environments[parts[0]!] ??= []).push(file);
  }
  return { environments };
}

async function writeRecord(outputDir: string, record: OwnershipRecord, staging: string): Promise<void> {
  const temporary = join(staging, OWNERSHIP_FILE);
  await writeFile(temporary, formatOwnershipRecord(record));
  await rename(temporary, join(outputDir, OWNERSHIP_FILE));
}

/**
 * Environments render wrote before (per the ownership record, or directories holding rendered
 * files when there is none) that are not among `declared`: their files go when they are removed.
 */
export async function staleEnvironments(outputDir: string, declared: readonly string[]): Promise<string[]> {
  return staleEnvironmentsOf({ files: await filesUnder(outputDir), record: await readOwnershipRecord(outputDir) }, declared);
}

/** staleEnvironments of a tree already listed (pure). */
export function staleEnvironmentsOf(existingTree: ExistingManifestTree, declared: readonly string[]): string[] {
  const known = Object.keys((existingTree.record ?? legacyOwnershipOf(existingTree.files)).environments);
  return known.filter((name) => !declared.includes(name)).sort();
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}
