import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject } from 'vitest';
import { freeLoopbackPort } from '../../src/apiserver/free-port.js';
import { BackgroundProgram } from '../../src/process/background-program.js';
import { runProgram } from '../../src/process/run-program.js';
import { childEnvironment } from '../../src/tools/child-environment.js';

/** The registry answers at once; a start slower than this is a failure. */
const REGISTRY_READY_TIMEOUT_MS = 10_000;

/**
 * A real OCI registry on 127.0.0.1: go-containerregistry's registry (pkg/registry, the same
 * implementation as its `cmd/registry`), served by the pinned crane itself (`crane registry
 * serve`), in memory, for one test file. Images are pushed with crane, as a release pipeline would.
 */
export class OciRegistry {
  private constructor(
    /** `127.0.0.1:<port>` */
    readonly host: string,
    private readonly server: BackgroundProgram,
    private readonly work: string,
  ) {}

  static async start(): Promise<OciRegistry> {
    const port = await freeLoopbackPort();
    const host = `127.0.0.1:${port}`;
    const server = new BackgroundProgram(inject('cranePath'), ['registry', 'serve', '--address', host], { env: childEnvironment() });
    const registry = new OciRegistry(host, server, await mkdtemp(join(tmpdir(), 'hydrate-oci-')));
    const deadline = Date.now() + REGISTRY_READY_TIMEOUT_MS;
    while (!server.outputTail().includes('serving on port')) {
      if (server.exit || Date.now() > deadline)
        throw new Error(`crane registry serve ${server.exit ?? 'did not start'}:\n${server.outputTail()}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return registry;
  }

  private async crane(...args: string[]): Promise<string> {
    const result = await runProgram(inject('cranePath'), args, { env: childEnvironment(), cwd: this.work });
    if (result.exitCode !== 0) throw new Error(`crane ${args.join(' ')} failed: ${result.stderr}`);
    return result.stdout.trim();
  }

  /** Pushes a one-layer image for `platform` (`linux/amd64`) as `repository:tag`; returns its reference. */
  async pushImage(repository: string, tag: string, platform: string): Promise<string> {
    const layer = join(this.work, `${repository.replace(/\//g, '_')}-${tag}.tar`);
    await writeFile(join(this.work, 'hello'), `${repository}:${tag} for ${platform}\n`);
    const archive = await runProgram('tar', ['-cf', layer, 'hello'], { env: childEnvironment(), cwd: this.work });
    if (archive.exitCode !== 0) throw new Error(`tar failed: ${archive.stderr}`);
    const reference = `${this.host}/${repository}:${tag}`;
    await this.crane('--insecure', 'append', '-f', layer, '-t', reference);
    await this.crane('--insecure', 'mutate', '--set-platform', platform, reference, '-t', reference);
    return reference;
  }

  /** Pushes an index of `images` (references pushed before) as `repository:tag`. */
  async pushIndex(repository: string, tag: string, images: readonly string[]): Promise<string> {
    const reference = `${this.host}/${repository}:${tag}`;
    await this.crane('--insecure', 'index', 'append', ...images.flatMap((image) => ['-m', image]), '-t', reference);
    return reference;
  }

  /** The digest `reference` resolves to. */
  digest(reference: string): Promise<string> {
    return this.crane('--insecure', 'digest', reference);
  }

  async stop(): Promise<void> {
    await this.server.stop();
    await rm(this.work, { recursive: true, force: true });
  }
}
