import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/cli/exit-codes.js';
import { kubernetesVersionOption } from '../../src/cli/render-options.js';

describe('kubernetesVersionOption', () => {
  it('takes --kubernetes-version, else its alias --kube-version, else nothing', () => {
    expect(kubernetesVersionOption({ 'kubernetes-version': '1.35' })).toBe('1.35');
    expect(kubernetesVersionOption({ 'kube-version': '1.34' })).toBe('1.34');
    expect(kubernetesVersionOption({ 'kubernetes-version': '1.35', 'kube-version': '1.35' })).toBe('1.35');
    expect(kubernetesVersionOption({})).toBeUndefined();
  });

  it('refuses the two flags naming different versions, quoting both', () => {
    expect(() => kubernetesVersionOption({ 'kubernetes-version': '1.35', 'kube-version': '1.34' })).toThrow(UsageError);
    expect(() => kubernetesVersionOption({ 'kubernetes-version': '1.35', 'kube-version': '1.34' })).toThrow(
      '--kubernetes-version 1.35 and --kube-version 1.34 disagree',
    );
  });
});
