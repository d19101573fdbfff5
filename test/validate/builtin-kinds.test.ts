import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateEnvironments } from '../../src/validate/validate.js';
import type { Finding } from '../../src/validate/findings/finding.js';
import type { SchemaSource } from '../../src/validate/schemas/schema-source.js';
import { environment, schemaFixture } from './fixtures.js';

type Fixture = Awaited<ReturnType<typeof schemaFixture>>;

const validDeployment = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels:
    app.kubernetes.io/name: web
spec:
  replicas: 2
  selector:
    matchLabels:
      app.kubernetes.io/name: web
  strategy:
    rollingUpdate:
      maxUnavailable: 25%
      maxSurge: 1
  template:
    metadata:
      labels:
        app.kubernetes.io/name: web
    spec:
      nodeSelector: null
      containers:
        - name: web
          image: registry.example.com/web:1.0
          ports:
            - containerPort: 8080
          resources:
            requests:
              cpu: 250m
              memory: 64Mi
            limits:
              cpu: 1
`;

function brief(findings: Finding[]) {
  return findings.map(({ line, path, message, rule }) => ({ line, path, message, rule }));
}

describe('built-in kinds against the real Kubernetes 1.35 schemas', () => {
  let fixture: Fixture;
  let schemas: SchemaSource;
  beforeAll(async () => {
    fixture = await schemaFixture();
    schemas = fixture.source();
  });
  afterAll(() => fixture?.remove());

  it('passes a valid Deployment, with null optional fields, int-or-string and quantities', async () => {
    const report = await validateEnvironments([environment('staging', { web: validDeployment })], { schemas });
    expect(report.findings).toEqual([]);
    expect(report.resourceCount).toBe(1);
    expect(report.kubernetesVersion).toBe('1.35');
  });

  it('reports a wrong type, a missing required field and an unknown field with file, line and path', async () => {
    const broken = validDeployment
      .replace('  replicas: 2', '  replicas: "2"')
      .replace('        - name: web\n          image:', '        - image:')
      .replace('  selector:', '  revisionHistoryLimt: 3\n  selector:');
    const env = environment('staging', { web: broken });
    const report = await validateEnvironments([env], { schemas });
    // Lines are those of the manifest file (render adds the namespace under metadata.name).
    const lines = env.releases[0]!.resources[0]!.content.split('\n');
    const lineOf = (text: string) => lines.findIndex((line) => line.includes(text)) + 1;
    expect(brief(report.findings)).toEqual([
      {
        line: lineOf('replicas: "2"'),
        path: '.spec.replicas',
        message: 'expected integer, got string "2"; write it without quotes (in a template: drop `quote`, or use `int`/`toYaml`)',
        rule: 'invalid-value',
      },
      {
        line: lineOf('revisionHistoryLimt'),
        path: '.spec.revisionHistoryLimt',
        message: 'unknown field "revisionHistoryLimt"; did you mean "revisionHistoryLimit"?',
        rule: 'unknown-field',
      },
      {
        line: lineOf('- image: registry'),
        path: '.spec.template.spec.containers[0]',
        message: 'missing required field "name"',
        rule: 'missing-field',
      },
    ]);
    expect(lineOf('replicas: "2"')).toBeGreaterThan(1);
    const first = report.findings[0]!;
    expect(first).toMatchObject({
      environment: 'staging',
      release: 'web',
      apiVersion: 'apps/v1',
      file: 'staging/web/deployment.apps_apps_web.yaml',
    });
    expect(first.resource).toEqual({ group: 'apps', kind: 'Deployment', namespace: 'apps', name: 'web' });
  });

  it('reports an apiVersion the target version no longer serves, naming the replacement', async () => {
    const pdb = `apiVersion: policy/v1beta1
kind: PodDisruptionBudget
metadata:
  name: web
spec:
  minAvailable: 1
  selector:
    matchLabels: {app: web}
`;
    const report = await validateEnvironments([environment('production', { web: pdb })], { schemas });
    expect(brief(report.findings)).toEqual([
      {
        line: 1,
        path: '',
        message: 'apiVersion policy/v1beta1 is not served by Kubernetes 1.35 (removed in 1.25); use policy/v1',
        rule: 'api-not-served',
      },
    ]);
    const fixed = await validateEnvironments([environment('production', { web: pdb.replace('policy/v1beta1', 'policy/v1') })], { schemas });
    expect(fixed.findings).toEqual([]);
  });

  it('reports a misspelt kind and an unknown API version of a Kubernetes group', async () => {
    const text = `apiVersion: apps/v1
kind: Deploymnet
metadata: {name: a}
---
apiVersion: apps/v7
kind: Deployment
metadata: {name: b}
`;
    const report = await validateEnvironments([environment('staging', { web: text })], { schemas });
    expect(report.findings.map((finding) => [finding.resource.name, finding.rule, finding.message])).toEqual([
      ['b', 'api-not-served', 'apiVersion apps/v7 is not served by Kubernetes 1.35; use apps/v1'],
      ['a', 'missing-schema', "Kubernetes 1.35 serves apps/v1 but no kind Deploymnet in it; check the kind's spelling"],
    ]);
  });

  it('never quotes Secret values in messages', async () => {
    const secret = `apiVersion: v1
kind: Secret
metadata: {name: db}
type: Opaque
data:
  password: hunter2-not-base64!
  port: 5432
stringData:
  token: s3cr3t
`;
    const report = await validateEnvironments([environment('staging', { db: secret })], { schemas });
    expect(brief(report.findings)).toEqual([
      {
        line: 6,
        path: '.data.password',
        message: 'a string (value hidden) is not a valid byte (base64, e.g. aGVsbG8=)',
        rule: 'invalid-value',
      },
      { line: 7, path: '.data.port', message: 'expected string, got a number (value hidden)', rule: 'invalid-value' },
    ]);
    expect(JSON.stringify(report)).not.toMatch(/hunter2|5432|s3cr3t/);
  });

  it('skips listed kinds, lists resources without a schema, and honours ignore-missing-schemas', async () => {
    const text = `apiVersion: monitoring.coreos.com/v1
kind: ServiceMonitor
metadata: {name: web}
spec: {}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: web}
data: {a: b}
`;
    const strict = await validateEnvironments([environment('staging', { web: text })], { schemas });
    expect(brief(strict.findings)).toEqual([
      {
        line: 1,
        path: '',
        rule: 'missing-schema',
        message:
          'no schema for ServiceMonitor (monitoring.coreos.com/v1): it is not a Kubernetes API, and no CustomResourceDefinition rendered in environment "staging" or given as an extra CRD defines ServiceMonitor.monitoring.coreos.com; add the CRD to the render or skip the kind',
      },
    ]);
    const skipped = await validateEnvironments([environment('staging', { web: text })], {
      schemas,
      skipKinds: ['ServiceMonitor.monitoring.coreos.com', 'ConfigMap'],
    });
    expect(skipped.findings).toEqual([]);
    expect(skipped.skipped.map((item) => [item.resource.kind, item.reason])).toEqual([
      ['ConfigMap', 'kind listed in the kinds to skip (ConfigMap): ConfigMap apps/web'],
      [
        'ServiceMonitor',
        'kind listed in the kinds to skip (ServiceMonitor.monitoring.coreos.com): ServiceMonitor.monitoring.coreos.com apps/web',
      ],
    ]);
    const ignored = await validateEnvironments([environment('staging', { web: text })], { schemas, ignoreMissingSchemas: true });
    expect(ignored.findings).toEqual([]);
    expect(ignored.skipped).toHaveLength(1);
    expect(ignored.skipped[0]!.reason).toMatch(/^no schema for ServiceMonitor .*\(ignore-missing-schemas\)$/);
    expect(ignored.resourceCount).toBe(2);
  });

  it('validates the same input to the same report twice, without downloading or compiling again', async () => {
    const env = environment('staging', { web: validDeployment.replace('replicas: 2', 'replicas: two') });
    const requestsBefore = fixture.server.requests.length;
    const first = await validateEnvironments([env], { schemas });
    const second = await validateEnvironments([env], { schemas });
    expect(second).toEqual(first);
    expect(fixture.server.requests.length).toBe(requestsBefore);
  });
});
