import { runProgram, type ProgramResult } from '../process/run-program.js';
import { childEnvironment } from '../tools/child-environment.js';

/** Who a commit is attributed to; passed per command, never written to git config. */
export interface GitIdentity {
  name: string;
  email: string;
}

export type GitResult = ProgramResult;

export class GitError extends Error {
  constructor(
    readonly args: readonly string[],
    readonly result: GitResult,
  ) {
    super(`git ${args.join(' ')} failed (exit ${result.exitCode}): ${(result.stderr || result.stdout).trim()}`);
    this.name = 'GitError';
  }
}

export interface GitCommandOptions {
  identity?: GitIdentity;
  input?: string;
  /** Keep stdout as bytes (GitResult.stdoutBytes). */
  binaryStdout?: boolean;
  /** Variables for this one command (credentials: see git/auth.ts). */
  env?: Record<string, string>;
}

/** The one place that runs the `git` program, always inside one repository or worktree. */
export class GitRepository {
  constructor(
    readonly directory: string,
    private readonly env: Record<string, string> = childEnvironment(),
  ) {}

  /** Runs git and returns its result; never throws for a non-zero exit. `env` adds variables for this command only. */
  async exec(args: readonly string[], options: GitCommandOptions = {}): Promise<GitResult> {
    const identityArgs = options.identity ? ['-c', `user.name=${options.identity.name}`, '-c', `user.email=${options.identity.email}`] : [];
    return runProgram('git', [...identityArgs, ...args], {
      cwd: this.directory,
      env: { ...this.env, ...options.env, GIT_TERMINAL_PROMPT: '0' },
      input: options.input,
      binaryStdout: options.binaryStdout,
    });
  }

  /** Runs git and returns stdout; throws GitError on failure. */
  async run(args: readonly string[], options: GitCommandOptions = {}): Promise<string> {
    const result = await this.exec(args, options);
    if (result.exitCode !== 0) throw new GitError(args, result);
    return result.stdout;
  }

  /** Runs git and returns stdout as bytes; throws GitError on failure. */
  async runForBytes(args: readonly string[], options: GitCommandOptions = {}): Promise<Uint8Array> {
    const result = await this.exec(args, { ...options, binaryStdout: true });
    if (result.exitCode !== 0) throw new GitError(args, result);
    return result.stdoutBytes!;
  }

  revParse(ref: string): Promise<string> {
    return this.run(['rev-parse', '--verify', `${ref}^{commit}`]);
  }
}
