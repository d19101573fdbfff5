import { describe, expect, it } from 'vitest';
import { apiServerRisks, withServerVerdict } from '../../src/risk/api-server-refusals.js';
import type { Risk } from '../../src/risk/types.js';

const resource = { group: 'apps', kind: 'Deployment', namespace: 'apps', name: 'web' };
const refusal = {
  environment: 'production',
  release: 'web',
  resource,
  apiVersion: 'apps/v1',
  path: 'production/web/deployment.apps_apps_web.yaml',
  operation: 'apply' as const,
  status: 422,
  message: 'Deployment.apps "web" is invalid: spec.selector: Invalid value: field is immutable',
  field: 'spec.selector',
};

describe('what the API server refuses, as risks', () => {
  it('makes each refusal a high risk naming the file and the server message', () => {
    expect(apiServerRisks([refusal, { ...refusal, operation: 'delete', field: undefined, message: 'forbidden' }])).toEqual([
      expect.objectContaining({
        rule: 'api-server-refused',
        severity: 'high',
        path: refusal.path,
        field: 'spec.selector',
        message: `the API server refuses the sync: ${refusal.message}`,
      }),
      expect.objectContaining({ message: 'the API server refuses to prune it (the head no longer renders it): forbidden' }),
    ]);
  });

  it('confirms a sync-failure rule risk of the same resource as one api-server-refused risk, with the rule named and its fix', () => {
    const known = {
      rule: 'immutable-field',
      severity: 'high',
      environment: 'production',
      release: 'web',
      resource,
      field: 'spec.selector.matchLabels',
      message: 'the selector cannot change',
      fix: 'replace the Deployment',
    } as Risk;
    const [merged, ...rest] = withServerVerdict([known], apiServerRisks([refusal]));
    expect(rest).toEqual([]);
    expect(merged).toEqual({
      ...known,
      rule: 'api-server-refused',
      message: `the selector cannot change; the API server refuses it: ${refusal.message}`,
      confirms: ['immutable-field'],
    });
    expect(withServerVerdict([{ ...known, rule: 'critical-daemonset' }], apiServerRisks([refusal]))).toHaveLength(2);
    expect(withServerVerdict([{ ...known, resource: { ...resource, name: 'api' } }], apiServerRisks([refusal]))).toHaveLength(2);
    expect(withServerVerdict([known], apiServerRisks([{ ...refusal, environment: 'staging' }]))).toHaveLength(2);
    expect(withServerVerdict([known], [])).toEqual([known]);
  });
});
