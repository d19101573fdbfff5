import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readManifestTree, writeManifestTree, type EnvironmentManifests, type WriteManifestTreeOptions } from '../render/index.js';
import { childEnvironment } from '../tools/child-environment.js';
import { GitRepository, type GitIdentity } from './git.js';

export interface StagedChange {
  /** `A`, `M` or `D` and the path, as `git diff --name-status` prints them. */
  status: string;
  path: string;
}

/**
 * The output directory of one commit, extracted into a temporary directory with an index of its
 * own (GIT_INDEX_FILE). Rendered manifests are written there and committed on top of the commit
 * with plumbing, so the user's checkout, index and branch are never touched, and only paths
 * under the output directory can change: nothing else is ever in the temporary work tree.
 */
export class ManifestStage {
  private constructor(
    private readonly git: GitRepository,
    private readonly directory: string,
    readonly parent: string,
    readonly outputDir: string,
  ) {}

  /** Extracts `outputDir` of `parent` (a commit present in `repository`). */
  static async open(repository: string, parent: string, outputDir: string): Promise<ManifestStage> {
    const directory = await mkdtemp(join(tmpdir(), 'helmfile-hydrate-stage-'));
    try {
      const git = new GitRepository(repository, { ...childEnvironment(), GIT_INDEX_FILE: join(directory, 'index') });
      const stage = new ManifestStage(git, directory, parent, outputDir);
      await mkdir(stage.workTree);
      await git.run(['read-tree', parent]);
      if ((await git.run(['ls-tree', '--name-only', parent, '--', outputDir])) !== '') {
        await stage.inWorkTree(['checkout', parent, '--', outputDir]);
      }
      return stage;
    } catch (error) {
      await rm(directory, { recursive: true, force: true });
      throw error;
    }
  }

  private get workTree(): string {
    return join(this.directory, 'tree');
  }

  /** Absolute path of the output directory inside the temporary work tree. */
  get outputPath(): string {
    return join(this.workTree, ...this.outputDir.split('/'));
  }

  /** The manifests the parent commit holds for these environments. */
  readCommitted(environments: readonly string[]): Promise<EnvironmentManifests[]> {
    return readManifestTree(this.outputPath, environments);
  }

  /** Replaces the given environments' rendered files (and removes those of `options.removeEnvironments`). */
  write(environments: readonly EnvironmentManifests[], options: WriteManifestTreeOptions = {}): Promise<void> {
    return writeManifestTree(this.outputPath, environments, options);
  }

  /** Stages the output directory and lists what differs from the parent commit. */
  async stage(): Promise<StagedChange[]> {
    const hasFiles = (await readdir(this.workTree, { recursive: true, withFileTypes: true }).catch(() => [])).some((entry) =>
      entry.isFile(),
    );
    const tracked = (await this.git.run(['ls-files', '--', this.outputDir])) !== '';
    // --force: a .gitignore must not silently drop a rendered resource from the commit.
    if (hasFiles || tracked) await this.inWorkTree(['add', '--all', '--force', '--', this.outputDir]);
    const output = await this.git.run(['diff', '--cached', '--no-renames', '--name-status', this.parent]);
    const changes = output
      .split('\n')
      .filter(Boolean)
      .map((line) => {
        const [status, path] = line.split('\t');
        return { status: status!, path: path! };
      });
    const outside = changes.find((change) => !change.path.startsWith(`${this.outputDir}/`));
    // Cannot happen by construction; checked because a commit outside the output directory must never be made.
    if (outside) throw new Error(`refusing to commit: ${outside.path} is outside the output directory ${this.outputDir}`);
    return changes;
  }

  /** Commits the staged tree on top of the parent; returns the new commit's SHA. */
  async commit(message: string, identity: GitIdentity): Promise<string> {
    const tree = await this.git.run(['write-tree']);
    if (tree === (await this.git.run(['rev-parse', `${this.parent}^{tree}`])))
      throw new Error('refusing to make an empty commit: the manifests equal the parent commit');
    return this.git.run(['commit-tree', tree, '-p', this.parent, '-F', '-'], { identity, input: message });
  }

  remove(): Promise<void> {
    return rm(this.directory, { recursive: true, force: true });
  }

  private inWorkTree(args: readonly string[]): Promise<string> {
    return this.git.run([`--work-tree=${this.workTree}`, ...args]);
  }
}
