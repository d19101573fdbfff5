import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/cli/exit-codes.js';
import { aliasedOption, kubernetesVersionOption, listOption } from '../../src/cli/render-options.js';

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

describe('aliasedOption and listOption', () => {
  it('takes a renamed flag by either name', () => {
    expect(aliasedOption({ 'kubernetes-schemas': '/srv/openapi' }, 'kubernetes-schemas', 'schema-base-url')).toBe('/srv/openapi');
    expect(aliasedOption({ 'schema-base-url': '/srv/openapi' }, 'kubernetes-schemas', 'schema-base-url')).toBe('/srv/openapi');
    expect(() => aliasedOption({ 'output-dir': 'a', output: 'b' }, 'output-dir', 'output')).toThrow(
      '--output-dir a and --output b disagree; --output is an alias: give one of them',
    );
  });

  it('reads a list flag as the action reads a list input: comma-separated, repeatable, with its alias', () => {
    expect(listOption(['ConfigMap,Secret', ' ServiceMonitor.monitoring.coreos.com '], ['Job'])).toEqual([
      'ConfigMap',
      'Secret',
      'ServiceMonitor.monitoring.coreos.com',
      'Job',
    ]);
    expect(listOption(undefined, undefined)).toBeUndefined();
  });
});
