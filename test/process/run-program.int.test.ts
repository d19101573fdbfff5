import { describe, expect, it } from 'vitest';
import { outputTail, runProgram } from '../../src/process/run-program.js';

/** Node itself is the one program every test machine has; `-e` scripts play the external program. */
const node = process.execPath;
const script = (source: string) => ['-e', source];

describe('runProgram', () => {
  it('returns the exit code, stdout and stderr without throwing for a failure', async () => {
    const result = await runProgram(node, script('process.stdout.write("out\\n"); process.stderr.write("err\\n"); process.exit(3)'), {
      env: {},
    });
    expect(result).toEqual({ exitCode: 3, stdout: 'out', stderr: 'err' });
  });

  it('hands the child exactly the given environment and working directory', async () => {
    process.env.RUN_PROGRAM_TEST_LEAK = 'leaked';
    try {
      const result = await runProgram(
        node,
        script('console.log(JSON.stringify([process.env.ONLY, process.env.RUN_PROGRAM_TEST_LEAK ?? null, process.cwd()]))'),
        {
          env: { ONLY: 'given' },
          cwd: '/',
        },
      );
      expect(JSON.parse(result.stdout)).toEqual(['given', null, '/']);
    } finally {
      delete process.env.RUN_PROGRAM_TEST_LEAK;
    }
  });

  it('closes stdin unless input is given, so a program reading it never waits', async () => {
    const echo = script('let text = ""; process.stdin.on("data", (d) => (text += d)).on("end", () => console.log(`[${text}]`))');
    expect((await runProgram(node, echo, { env: {} })).stdout).toBe('[]');
    expect((await runProgram(node, echo, { env: {}, input: 'given' })).stdout).toBe('[given]');
  });

  it('interleaves stdout and stderr only when asked', async () => {
    const both = script(
      'process.stdout.write("1\\n"); setTimeout(() => process.stderr.write("2\\n"), 20); setTimeout(() => process.stdout.write("3\\n"), 40)',
    );
    expect((await runProgram(node, both, { env: {}, interleaved: true })).output).toBe('1\n2\n3');
    expect((await runProgram(node, both, { env: {} })).output).toBeUndefined();
  });

  it('reports a program that cannot start or outlives its timeout as interrupted, exit code 1', async () => {
    const missing = await runProgram('/nonexistent/program', [], { env: {} });
    expect(missing.exitCode).toBe(1);
    expect(missing.interruption).toMatch(/ENOENT/);

    const slow = await runProgram(node, script('setTimeout(() => {}, 10_000)'), { env: {}, timeoutMs: 200 });
    expect(slow.exitCode).toBe(1);
    expect(slow.interruption).toMatch(/timed out/i);

    expect((await runProgram(node, script('process.exit(0)'), { env: {} })).interruption).toBeUndefined();
  });
});

describe('outputTail', () => {
  it('keeps the last lines, trailing blank lines dropped', () => {
    const text = Array.from({ length: 30 }, (_, i) => `line ${i + 1}`).join('\n') + '\n\n';
    expect(outputTail(text).split('\n')).toHaveLength(25);
    expect(outputTail(text).split('\n')[0]).toBe('line 6');
    expect(outputTail(text, 2)).toBe('line 29\nline 30');
  });
});
