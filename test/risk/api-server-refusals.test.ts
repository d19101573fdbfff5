import { describe, expect, it } from 'vitest';
import { apiServerRisks, uncoveredRisks } from '../../src/risk/api-server-refusals.js';
import type { Risk } from '../../src/risk/index.js';

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

  it('leaves out a refusal another high risk already names for the same field', () => {
    const known = {
      rule: 'immutable-field',
      severity: 'high',
      environment: 'production',
      release: 'web',
      resource,
      field: 'spec.selector.matchLabels',
    } as Risk;
    expect(uncoveredRisks(apiServerRisks([refusal]), [known])).toEqual([]);
    expect(uncoveredRisks(apiServerRisks([refusal]), [{ ...known, severity: 'medium' }])).toHaveLength(1);
    expect(uncoveredRisks(apiServerRisks([refusal]), [{ ...known, field: 'spec.template' }])).toHaveLength(1);
    expect(uncoveredRisks(apiServerRisks([{ ...refusal, environment: 'staging' }]), [known])).toHaveLength(1);
  });
});
