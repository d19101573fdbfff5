import { execa } from 'execa';

/** How much of a background program's output is kept for error messages. */
const OUTPUT_TAIL_CHARACTERS = 8_000;

export interface BackgroundProgramOptions {
  /** The complete environment of the child (see `childEnvironment`); nothing of this process's is added. */
  env: Record<string, string>;
  cwd?: string;
}

/**
 * A long-running program (a server) started in the background: stopped with `stop()`, and killed
 * when this process exits. Its output is kept (the last few thousand characters) for the message
 * when it dies or does not become ready.
 */
export class BackgroundProgram {
  private output = '';
  private exited: { code: number | undefined; signal: string | undefined } | undefined;
  private readonly child: ReturnType<typeof startChild>;
  readonly finished: Promise<void>;

  constructor(
    readonly program: string,
    readonly args: readonly string[],
    options: BackgroundProgramOptions,
  ) {
    this.child = startChild(program, args, options);
    const keep = (chunk: Buffer) => {
      this.output = (this.output + chunk.toString('utf8')).slice(-OUTPUT_TAIL_CHARACTERS);
    };
    this.child.stdout?.on('data', keep);
    this.child.stderr?.on('data', keep);
    this.finished = this.child.then((result) => {
      this.exited = { code: result.exitCode, signal: result.signal };
    });
    liveChildren.add(this);
    void this.finished.finally(() => liveChildren.delete(this));
  }

  /** Undefined while it runs; how it ended otherwise. */
  get exit(): string | undefined {
    if (!this.exited) return undefined;
    return this.exited.signal ? `was killed by ${this.exited.signal}` : `exited with ${this.exited.code ?? 'no code'}`;
  }

  /** The last lines the program wrote (stdout and stderr interleaved). */
  outputTail(lines = 20): string {
    return this.output.trimEnd().split('\n').slice(-lines).join('\n');
  }

  /** SIGTERM, then SIGKILL after `graceMs`; resolves when the program is gone. */
  async stop(graceMs = 5_000): Promise<void> {
    if (this.exited) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    try {
      await this.finished;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Synchronous last resort when this process is going away. */
  killNow(): void {
    if (!this.exited) this.child.kill('SIGKILL');
  }
}

function startChild(program: string, args: readonly string[], options: BackgroundProgramOptions) {
  return execa(program, args, {
    cwd: options.cwd,
    env: options.env,
    extendEnv: false,
    reject: false,
    stdin: 'ignore',
    buffer: false,
    cleanup: true,
  });
}

const liveChildren = new Set<BackgroundProgram>();
// execa's `cleanup` kills children when this process exits normally; signals that end it are
// covered here too, so a cancelled job never leaves a server behind.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(signal, function stopChildrenAndExit() {
    for (const child of liveChildren) child.killNow();
    process.off(signal, stopChildrenAndExit);
    if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
  });
}
