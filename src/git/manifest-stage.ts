import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, posix } from 'node:path';
import { mapLimited } from '../concurrency/map-limited.js';
import { formatOwnershipRecord, OWNERSHIP_FILE, parseOwnershipRecord, type OwnershipRecord } from '../render/ownership.js';
import { planManifestTree, staleEnvironmentsOf, type WriteManifestTreeOptions } from '../render/manifest-tree.js';
import { readManifestSource, type ManifestTreeSource } from '../render/committed-manifests.js';
import type { EnvironmentManifests } from '../model/manifests.js';
import { childEnvironment } from '../tools/child-environment.js';
import { GitRepository, type GitIdentity } from './git.js';

export interface StagedChange {
  /** `A`, `M` or `D` and the path, as `git diff --name-status` prints them. */
  status: string;
  path: string;
}

/** One file of a tree: its git mode (`100644`, `100755`, `120000` for a symbolic link) and object id. */
interface TreeEntry {
  mode: string;
  oid: string;
}

/** The mode of every file render writes (git knows only 100644 and 100755 for regular files). */
const RENDERED_FILE_MODE = '100644';
const SYMBOLIC_LINK_MODE = '120000';
const SUBMODULE_MODE = '160000';
/** Links followed in a row before a read gives up: Linux's limit (MAXSYMLINKS in fs/namei.c). */
const MAX_SYMBOLIC_LINK_HOPS = 40;
/** New blobs written to disk at once before `git hash-object` stores them. */
const CONCURRENT_BLOB_FILES = 32;

/**
 * The output directory of one commit, staged in an index of its own (GIT_INDEX_FILE in a
 * temporary directory). Rendered manifests are hashed into git objects and the index entries
 * under the output directory replaced, then committed on top of the commit with plumbing: no
 * work tree is written, the user's checkout, index and branch are never touched, and only paths
 * under the output directory can change. What changes is decided by planManifestTree, as for
 * `render` writing a directory.
 */
export class ManifestStage {
  /** Blob texts already known, by object id: those read and those written. */
  private readonly texts = new Map<string, string>();

  private constructor(
    private readonly git: GitRepository,
    private readonly directory: string,
    readonly parent: string,
    readonly outputDir: string,
    private readonly objectFormat: string,
    /** The staged files under the output directory, by path relative to it. */
    private files: Map<string, TreeEntry>,
  ) {}

  /** Stages `parent` (a commit present in `repository`) and lists its output directory. */
  static async open(repository: string, parent: string, outputDir: string): Promise<ManifestStage> {
    const directory = await mkdtemp(join(tmpdir(), 'helmfile-hydrate-stage-'));
    try {
      const git = new GitRepository(repository, { ...childEnvironment(), GIT_INDEX_FILE: join(directory, 'index') });
      const [objectFormat, listing] = await Promise.all([
        git.run(['rev-parse', '--show-object-format']),
        git.run(['ls-tree', '-r', '-z', parent, '--', outputDir]),
        git.run(['read-tree', parent]),
      ]);
      const files = new Map<string, TreeEntry>();
      for (const record of listing.split('\0')) {
        const match = /^(\d+) \w+ ([0-9a-f]+)\t(.*)$/s.exec(record);
        if (match && match[3]!.startsWith(`${outputDir}/`))
          files.set(match[3]!.slice(outputDir.length + 1), { mode: match[1]!, oid: match[2]! });
      }
      return new ManifestStage(git, directory, parent, outputDir, objectFormat, files);
    } catch (error) {
      await rm(directory, { recursive: true, force: true });
      throw error;
    }
  }

  /** Environments render wrote before that are not among `declared` (see staleEnvironments). */
  async staleEnvironments(declared: readonly string[]): Promise<string[]> {
    return staleEnvironmentsOf({ files: [...this.files.keys()], record: await this.record() }, declared);
  }

  /** The manifests the parent commit holds for these environments (a listed file deleted by hand is not held). */
  readCommitted(environments: readonly string[]): Promise<EnvironmentManifests[]> {
    // A file deleted by hand is not held: the write puts it back.
    return readManifestSource(this.source(), environments, { skipMissingFiles: true });
  }

  /** Replaces the given environments' rendered files (and removes those of `options.removeEnvironments`). */
  async write(environments: readonly EnvironmentManifests[], options: WriteManifestTreeOptions = {}): Promise<void> {
    const plan = planManifestTree({ files: [...this.files.keys()].sort(), record: await this.record() }, environments, options);
    const next = new Map(this.files);
    const written = new Map<string, string>();
    const put = (path: string, content: string) => {
      const oid = this.blobId(content);
      written.set(oid, content);
      // A file where a directory now goes is replaced, as git's index replaces it.
      for (let slash = path.indexOf('/'); slash !== -1; slash = path.indexOf('/', slash + 1)) next.delete(path.slice(0, slash));
      next.set(path, { mode: RENDERED_FILE_MODE, oid });
    };
    for (const environment of plan.environments) {
      for (const path of next.keys()) if (path.startsWith(`${environment.environment}/`)) next.delete(path);
      for (const file of environment.kept) {
        const path = `${environment.environment}/${file}`;
        next.set(path, this.files.get(path)!);
      }
      for (const resource of environment.resources) put(`${environment.environment}/${resource.path}`, resource.content);
    }
    put(OWNERSHIP_FILE, formatOwnershipRecord(plan.record));

    const changed = (path: string, entry: TreeEntry) => {
      const before = this.files.get(path);
      return before?.mode !== entry.mode || before.oid !== entry.oid;
    };
    const newBlobs = new Map(
      [...next].filter(([path, entry]) => changed(path, entry)).map(([, entry]) => [entry.oid, written.get(entry.oid)!]),
    );
    await this.storeBlobs(newBlobs);
    const removed = [...this.files.keys()].filter((path) => !next.has(path));
    const noObject = '0'.repeat(this.blobId('').length);
    const indexInfo = [
      ...removed.map((path) => `0 ${noObject}\t${this.outputDir}/${path}\0`),
      ...[...next]
        .filter(([path, entry]) => changed(path, entry))
        .map(([path, entry]) => `${entry.mode} ${entry.oid}\t${this.outputDir}/${path}\0`),
    ];
    if (indexInfo.length > 0) await this.git.run(['update-index', '-z', '--index-info'], { input: indexInfo.join('') });
    for (const [oid, text] of written) this.texts.set(oid, text);
    this.files = next;
  }

  /** Lists what the staged output directory changes from the parent commit. */
  async stage(): Promise<StagedChange[]> {
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

  /** The object id git gives a file with this text (SHA-1 or SHA-256, as the repository uses). */
  private blobId(content: string): string {
    return createHash(this.objectFormat)
      .update(`blob ${Buffer.byteLength(content)}\0`)
      .update(content)
      .digest('hex');
  }

  /** Writes the blobs into the repository's object store with one `git hash-object`, checking the ids it reports. */
  private async storeBlobs(blobs: Map<string, string>): Promise<void> {
    if (blobs.size === 0) return;
    const folder = join(this.directory, 'blobs');
    await mkdir(folder, { recursive: true });
    const entries = [...blobs].map(([oid, content]) => ({ oid, content, file: join(folder, oid) }));
    const writes = await mapLimited(entries, CONCURRENT_BLOB_FILES, (entry) => writeFile(entry.file, entry.content));
    const failed = writes.find((result): result is PromiseRejectedResult => result.status === 'rejected');
    if (failed) throw failed.reason;
    // --no-filters: the rendered bytes are what is committed, whatever .gitattributes says of the temporary path.
    const stored = (
      await this.git.run(['hash-object', '-w', '--no-filters', '--stdin-paths'], { input: entries.map((entry) => entry.file).join('\n') })
    ).split('\n');
    entries.forEach((entry, index) => {
      if (stored[index] !== entry.oid)
        throw new Error(`git stored ${entry.file} as ${stored[index]}, expected ${entry.oid}; refusing to commit a tree that differs`);
    });
    await rm(folder, { recursive: true, force: true });
  }

  /** The staged ownership record, undefined when there is none. */
  private async record(): Promise<OwnershipRecord | undefined> {
    if (!this.files.has(OWNERSHIP_FILE)) return undefined;
    const text = (await this.read([OWNERSHIP_FILE])).get(OWNERSHIP_FILE)!;
    return parseOwnershipRecord(text, `${this.outputDir}/${OWNERSHIP_FILE} (in commit ${this.parent})`);
  }

  /** The staged output directory, for readManifestSource. */
  private source(): ManifestTreeSource {
    const children = (path: string, directories: boolean) => {
      const prefix = path === '' ? '' : `${path}/`;
      const names = new Set<string>();
      for (const file of this.files.keys()) {
        if (!file.startsWith(prefix)) continue;
        const rest = file.slice(prefix.length);
        const slash = rest.indexOf('/');
        if (directories ? slash !== -1 : slash === -1) names.add(directories ? rest.slice(0, slash) : rest);
      }
      return [...names].sort();
    };
    return {
      record: () => this.record(),
      directories: async (path) => children(path, true).filter((name) => !name.startsWith('.')),
      yamlFiles: async (path) => children(path, false).filter((name) => name.endsWith('.yaml')),
      read: (paths) => this.read(paths),
    };
  }

  /** The texts of staged files (those not staged left out); symbolic links are followed inside the output directory. */
  private async read(requested: readonly string[]): Promise<Map<string, string>> {
    const paths = requested.filter((path) => this.files.has(path));
    const links = paths.filter((path) => this.files.get(path)?.mode === SYMBOLIC_LINK_MODE);
    const targets = new Map(links.map((path) => [path, path]));
    // A checkout followed links, so the files they lead to are read, as long as those are in the output directory.
    for (let hop = 0; hop < MAX_SYMBOLIC_LINK_HOPS && [...targets.values()].some((path) => this.isLink(path)); hop++) {
      const texts = await this.readBlobs([...targets.values()].filter((path) => this.isLink(path)));
      for (const [link, path] of targets) {
        if (!this.isLink(path)) continue;
        const target = posix.normalize(posix.join(posix.dirname(`${this.outputDir}/${path}`), texts.get(path)!));
        if (!target.startsWith(`${this.outputDir}/`) || posix.isAbsolute(texts.get(path)!))
          throw new Error(`${this.outputDir}/${link} is a symbolic link to ${texts.get(path)}, outside ${this.outputDir}/`);
        targets.set(link, target.slice(this.outputDir.length + 1));
      }
    }
    const resolved = paths.map((path) => targets.get(path) ?? path);
    const linked = resolved.find((path) => this.isLink(path));
    if (linked) throw new Error(`${this.outputDir}/${linked}: more than ${MAX_SYMBOLIC_LINK_HOPS} symbolic links in a row`);
    const texts = await this.readBlobs(resolved);
    return new Map(paths.map((path, index) => [path, texts.get(resolved[index]!)!]));
  }

  private isLink(path: string): boolean {
    return this.files.get(path)?.mode === SYMBOLIC_LINK_MODE;
  }

  /** The blobs of staged paths (a symbolic link's is its target), read with one `git cat-file --batch`. */
  private async readBlobs(paths: readonly string[]): Promise<Map<string, string>> {
    const entries = paths.map((path) => {
      const entry = this.files.get(path);
      if (!entry) throw new Error(`${this.outputDir}/${path} is not in commit ${this.parent}`);
      if (entry.mode === SUBMODULE_MODE) throw new Error(`${this.outputDir}/${path} is a submodule, not a file`);
      return { path, oid: entry.oid };
    });
    const missing = [...new Set(entries.map((entry) => entry.oid).filter((oid) => !this.texts.has(oid)))];
    if (missing.length > 0) {
      const output = await this.git.runForBytes(['cat-file', '--batch'], { input: missing.map((oid) => `${oid}\n`).join('') });
      const decoder = new TextDecoder();
      let offset = 0;
      for (const oid of missing) {
        const headerEnd = output.indexOf(0x0a, offset);
        const header = decoder.decode(output.subarray(offset, headerEnd));
        const [id, type, size] = header.split(' ');
        if (id !== oid || type !== 'blob' || size === undefined)
          throw new Error(`git cat-file answered "${header}" for blob ${oid} of commit ${this.parent}`);
        const start = headerEnd + 1;
        this.texts.set(oid, decoder.decode(output.subarray(start, start + Number(size))));
        offset = start + Number(size) + 1;
      }
    }
    return new Map(entries.map((entry) => [entry.path, this.texts.get(entry.oid)!]));
  }
}
