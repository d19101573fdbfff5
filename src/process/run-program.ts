import { execa } from 'execa';

/** What a program left behind: every external program (git, helmfile, go, version probes) answers with this. */
export interface ProgramResult {
  /** The exit code; 1 when the program did not exit by itself (see `interruption`). */
  exitCode: number;
  stdout: string;
  stderr: string;
  /** stdout and stderr interleaved as written; only when `interleaved` was asked for. */
  output?: string;
  /** stdout as bytes, untouched; only when `binaryStdout` was asked for (`stdout` is then empty). */
  stdoutBytes?: Uint8Array;
  /** Why the program did not exit by itself (not found, timed out, killed); absent when it exited. */
  interruption?: string;
}

export interface RunProgramOptions {
  /**
   * The complete environment of the child process, nothing of this process's added: build it with
   * `childEnvironment` so the action's inputs and the runner's credentials never reach the child.
   */
  env: Record<string, string>;
  cwd?: string;
  /** Text written to the program's stdin; stdin is closed (ignored) otherwise, so nothing waits for a terminal. */
  input?: string;
  /** Kill the program after this many milliseconds (none when absent). */
  timeoutMs?: number;
  /** Keep stdout as bytes in `stdoutBytes` (git objects: sizes count bytes, and the last newline is data). */
  binaryStdout?: boolean;
  /** Also collect stdout and stderr interleaved into `output` (a build log reads in order). */
  interleaved?: boolean;
}

/**
 * The one place that starts external programs. Never throws for a non-zero exit or a program
 * that cannot start: callers decide what a failure means and quote the output (see `outputTail`).
 */
export async function runProgram(program: string, args: readonly string[], options: RunProgramOptions): Promise<ProgramResult> {
  const result = await execa(program, args, {
    cwd: options.cwd,
    env: options.env,
    extendEnv: false,
    reject: false,
    ...(options.input === undefined ? { stdin: 'ignore' as const } : { input: options.input }),
    ...(options.timeoutMs === undefined ? {} : { timeout: options.timeoutMs }),
    ...(options.interleaved ? { all: true } : {}),
    ...(options.binaryStdout ? { encoding: 'buffer' as const, stripFinalNewline: false } : {}),
  });
  const text = (value: unknown) =>
    value instanceof Uint8Array ? new TextDecoder().decode(value).replace(/\r?\n$/, '') : String(value ?? '');
  const stdout: unknown = result.stdout;
  return {
    exitCode: result.exitCode ?? 1,
    ...(stdout instanceof Uint8Array ? { stdout: '', stdoutBytes: stdout } : { stdout: String(stdout) }),
    stderr: text(result.stderr),
    ...(options.interleaved ? { output: text(result.all) } : {}),
    ...(result.failed && result.exitCode === undefined ? { interruption: result.shortMessage } : {}),
  };
}

/** How many trailing lines of a failed program's output an error quotes: helm and helmfile end with the actual error. */
export const OUTPUT_TAIL_LINES = 25;

/** The last lines of a program's output: where helm and helmfile put the actual error. */
export function outputTail(text: string, lines = OUTPUT_TAIL_LINES): string {
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}
