import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unifiedDiff } from '../../src/diff/unified-diff.js';

describe('unifiedDiff', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hydrate-udiff-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  /** GNU diff's hunks (headers dropped) as the reference. */
  async function gnuDiff(a: string, b: string, context: number): Promise<string> {
    await writeFile(join(dir, 'a'), a);
    await writeFile(join(dir, 'b'), b);
    const result = await execa('diff', [`-U${context}`, 'a', 'b'], { cwd: dir, reject: false });
    return result.stdout === '' ? '' : `${result.stdout.split('\n').slice(2).join('\n')}\n`;
  }

  it('produces the same hunks as GNU diff for edits at the start, middle, end, and empty sides', async () => {
    const lines = Array.from({ length: 40 }, (_, i) => `line ${i}`);
    const text = (list: string[]) => (list.length ? `${list.join('\n')}\n` : '');
    const cases: Array<[string[], string[]]> = [
      [lines, lines.map((l, i) => (i === 0 ? 'first' : l))],
      [lines, lines.map((l, i) => (i === 20 || i === 27 ? `${l}!` : l))],
      [lines, [...lines.slice(0, 10), 'inserted', ...lines.slice(10)]],
      [lines, lines.filter((_, i) => i !== 39)],
      [lines, lines.filter((_, i) => i < 5 || i > 30)],
      [[], lines.slice(0, 3)],
      [lines.slice(0, 3), []],
      [lines, lines],
    ];
    for (const context of [0, 1, 3]) {
      for (const [a, b] of cases) expect(unifiedDiff(text(a), text(b), context).text).toBe(await gnuDiff(text(a), text(b), context));
    }
  });
});
