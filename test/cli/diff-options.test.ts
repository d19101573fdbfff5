import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli.js';

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { terminal: { out: (t: string) => out.push(t), err: (t: string) => err.push(t) }, out, err };
}

describe('helmfile-hydrate diff --pod-security-default', () => {
  it('is documented, and a level Pod Security does not have exits 2 before anything runs', async () => {
    const help = capture();
    expect(await runCli(['diff', '--help'], help.terminal)).toBe(0);
    expect(help.out.join('')).toMatch(/--pod-security-default privileged\|baseline\|restricted[\s\S]*Default: privileged\./);
    const wrong = capture();
    expect(await runCli(['diff', '--base', 'main', '--pod-security-default', 'strict'], wrong.terminal)).toBe(2);
    expect(wrong.err.join('')).toContain('--pod-security-default "strict": not one of privileged, baseline, restricted');
  });
});
