import { describe, expect, it } from 'vitest';
import { maskSecretValues, refusalOf } from '../../src/apiserver/refusal.js';
import { refusalFindings, typedPatchPath } from '../../src/apiserver/refusal-findings.js';
import type { SyncObject } from '../../src/apiserver/sync-order.js';
import type { Finding } from '../../src/validate/findings/finding.js';

const b64 = (text: string) => Buffer.from(text).toString('base64');

function secret(data: Record<string, string>, stringData: Record<string, string> = {}): SyncObject {
  return {
    environment: 'production',
    release: 'app',
    key: { group: '', kind: 'Secret', namespace: 'apps', name: 'db' },
    apiVersion: 'v1',
    path: 'production/app/secret_apps_db.yaml',
    object: { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db' }, data, stringData },
  };
}

describe('a refusal as the server said it', () => {
  it('takes the Status message and the first field the server names', () => {
    const refusal = refusalOf(secret({}), 'apply', {
      status: 422,
      text: '',
      json: {
        kind: 'Status',
        message: 'Secret "db" is invalid: data[bad/key]: Invalid value: "bad/key"',
        details: { causes: [{ message: 'x' }, { field: 'data[bad/key]', message: 'y' }] },
      },
    });
    expect(refusal).toMatchObject({ status: 422, field: 'data[bad/key]', operation: 'apply', path: 'production/app/secret_apps_db.yaml' });
  });

  it("never repeats a Secret's values, written or decoded", () => {
    const item = secret({ password: b64('hunter2-very-secret') }, { token: 'tok-123456' });
    const message = `invalid: "hunter2-very-secret" and ${b64('hunter2-very-secret')} and tok-123456 and "ab"`;
    expect(maskSecretValues(message, item)).toBe('invalid: "***" and *** and *** and "ab"');
    const configMap = { ...item, key: { ...item.key, kind: 'ConfigMap' } };
    expect(maskSecretValues(message, configMap)).toBe(message);
  });

  it('reads the field of a server-side apply type error from its message', () => {
    expect(
      typedPatchPath('failed to create typed patch object (apps/x; apps/v1, Kind=Deployment): .spec.replica: field not declared in schema'),
    ).toBe('.spec.replica');
    expect(typedPatchPath('Deployment.apps "x" is invalid')).toBeUndefined();
  });
});

describe('API server findings beside the schema findings', () => {
  const resource = { group: 'apps', kind: 'Deployment', namespace: 'apps', name: 'web' };
  const base = {
    environment: 'production',
    release: 'app',
    resource,
    apiVersion: 'apps/v1',
    path: 'production/app/web.yaml',
    operation: 'apply' as const,
  };
  const schema = (path: string, rule = 'invalid-value'): Finding => ({ ...base, file: base.path, path, message: 'schema says no', rule });

  it('reports a problem both see once, as the schema finding (it has the line)', () => {
    const findings = refusalFindings(
      [
        { ...base, status: 422, message: 'spec.replicas: Invalid value', field: 'spec.replicas' },
        { ...base, status: 422, message: 'pathType: Required value', field: 'spec.rules[0].http.paths[0].pathType' },
        { ...base, status: 500, message: 'failed to create typed patch object (x): .spec.replica: field not declared in schema' },
        { ...base, status: 500, message: 'failed to convert new object: quantities must match' },
        { ...base, status: 404, message: 'the API server serves no Widget' },
      ],
      [
        schema('.spec.replicas'),
        schema('.spec.rules[0].http.paths[0]', 'missing-field'),
        schema('.spec.replica', 'unknown-field'),
        schema('', 'missing-schema'),
      ],
    );
    expect(findings).toEqual([]);
  });

  it('keeps what only the server sees, with the rule api-server', () => {
    const findings = refusalFindings(
      [{ ...base, status: 422, message: 'spec.selector: Invalid value: field is immutable', field: 'spec.selector' }],
      [schema('.spec.replicas')],
    );
    expect(findings).toEqual([
      {
        environment: 'production',
        release: 'app',
        resource,
        apiVersion: 'apps/v1',
        file: base.path,
        path: '.spec.selector',
        message: 'spec.selector: Invalid value: field is immutable',
        rule: 'api-server',
      },
    ]);
    const other = { ...base, resource: { ...resource, name: 'api' } };
    expect(refusalFindings([{ ...other, status: 500, message: 'failed to convert' }], [schema('.spec.replicas')])).toHaveLength(1);
  });
});
