import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diffManifests } from '../../src/diff/diff-manifests.js';
import { buildCommentBody, buildJobSummary } from '../../src/report/markdown.js';
import { buildJsonReport } from '../../src/report/json.js';
import { buildTextReport } from '../../src/report/text.js';
import type { ReportInput } from '../../src/report/report-input.js';
import { compareFindings } from '../../src/validate/findings/compare.js';
import { findingAnnotation, formatFindingText } from '../../src/validate/findings/output.js';
import { validateEnvironments } from '../../src/validate/validate.js';
import type { SchemaSource } from '../../src/validate/schemas/schema-source.js';
import { b64, environment, release } from '../diff/manifest-builder.js';
import { environment as yamlEnvironment, schemaFixture } from '../validate/fixtures.js';

/**
 * Canary suite: every way a credential was found to reach a report, with a value that must
 * never appear in any output (raw, base64, or decoded when the input itself is base64).
 */
const CANARY = 'canary-5d1f0b7e9a-never-in-a-report';
const OLD_CANARY = 'canary-old-2c8e4a6f1b-never-in-a-report';

type Case = { name: string; objects: (value: string) => Record<string, unknown>[] };

const metadata = (name: string, extra: Record<string, unknown> = {}) => ({ name, namespace: 'apps', ...extra });
const pod = (name: string, container: Record<string, unknown>, annotations: Record<string, string> = {}) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: metadata(name, { annotations }),
  spec: {
    selector: { matchLabels: { app: name } },
    template: {
      metadata: { labels: { app: name } },
      spec: { containers: [{ name: 'main', image: 'registry.example.com/app:1.0', ...container }] },
    },
  },
});

const CASES: Case[] = [
  {
    name: 'a Secret inside a custom resource',
    objects: (value) => [
      {
        apiVersion: 'example.com/v1',
        kind: 'SecretTemplate',
        metadata: metadata('templated'),
        spec: {
          template: {
            apiVersion: 'v1',
            kind: 'Secret',
            metadata: { name: 'made' },
            data: { password: b64(value) },
            stringData: { anything: value },
          },
        },
      },
    ],
  },
  {
    name: 'a Secret inside a nested List',
    objects: (value) => [
      {
        apiVersion: 'v1',
        kind: 'List',
        metadata: metadata('bundle'),
        items: [
          {
            apiVersion: 'v1',
            kind: 'List',
            items: [{ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'inner' }, data: { anything: b64(value) } }],
          },
        ],
      },
    ],
  },
  { name: 'args: ["--token", X]', objects: (value) => [pod('flags', { args: ['serve', '--token', value, '--verbose'] })] },
  { name: 'args: ["--password=X"]', objects: (value) => [pod('flag-equals', { args: [`--password=${value}`, '--port=8080'] })] },
  {
    name: 'Authorization: Bearer X in an annotation',
    objects: (value) => [pod('annotated', {}, { 'example.com/probe-headers': `Authorization: Bearer ${value}` })],
  },
  {
    name: 'Authorization: Bearer X in a command',
    objects: (value) => [
      pod('curl', { command: ['sh', '-c', `curl -fsS -H "Authorization: Bearer ${value}" https://api.example.com/health`] }),
    ],
  },
  {
    name: '-D...Password=X in JAVA_OPTS',
    objects: (value) => [
      pod('java', { env: [{ name: 'JAVA_OPTS', value: `-Xmx512m -Djavax.net.ssl.keyStorePassword=${value} -Dfile.encoding=UTF-8` }] }),
    ],
  },
  {
    name: 'a DSN with credentials',
    objects: (value) => [
      pod('dsn', {
        env: [
          { name: 'DATABASE_URL', value: `postgres://app:${value}@db.apps.svc:5432/app?sslmode=require` },
          { name: 'CACHE', value: `redis://:${value}@redis:6379/0` },
        ],
      }),
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: metadata('dsn-config'),
        data: {
          'settings.ini': `[db]\nurl = mysql://root:${value}@mysql/app\nhost = mysql\n`,
          kv: `host=db user=app password=${value} dbname=app`,
        },
      },
    ],
  },
  {
    name: 'kubectl.kubernetes.io/last-applied-configuration',
    objects: (value) => [
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: metadata('applied', {
          annotations: {
            'kubectl.kubernetes.io/last-applied-configuration': JSON.stringify({
              apiVersion: 'v1',
              kind: 'Secret',
              metadata: { name: 'db' },
              data: { password: b64(value) },
            }),
          },
        }),
        data: { mode: 'fast' },
      },
    ],
  },
  {
    name: 'Argo CD Application spec.source.helm.values and valuesObject',
    objects: (value) => [
      {
        apiVersion: 'argoproj.io/v1alpha1',
        kind: 'Application',
        metadata: metadata('grafana', { namespace: 'argocd' }),
        spec: {
          project: 'default',
          source: {
            repoURL: 'https://grafana.github.io/helm-charts',
            chart: 'grafana',
            helm: {
              values: `adminUser: admin\nadminPassword: ${value}\nenv:\n  - name: GF_AUTH_TOKEN\n    value: ${value}\nextraObjects:\n  - apiVersion: v1\n    kind: Secret\n    metadata:\n      name: extra\n    stringData:\n      anything: ${value}\n`,
              valuesObject: { auth: { token: value }, extraEnv: [{ name: 'API_KEY', value }], smtp: { secret: value } },
            },
          },
        },
      },
    ],
  },
];

/** Every output a secret could reach, as text. */
function outputs(input: ReportInput): Record<string, string> {
  return {
    comment: buildCommentBody(input, { marker: '<!-- canary -->' }).body,
    summary: buildJobSummary(input).body,
    json: buildJsonReport(input),
    text: buildTextReport(input),
    annotations: (input.findings?.introduced ?? []).map((finding) => JSON.stringify(findingAnnotation(finding))).join('\n'),
    cli: (input.findings?.introduced ?? []).map((finding) => formatFindingText(finding)).join('\n'),
  };
}

function forms(value: string): string[] {
  return [value, b64(value), b64(value).replace(/=+$/, '')];
}

function expectNoCanary(all: Record<string, string>, values: string[]): void {
  for (const [where, text] of Object.entries(all)) {
    for (const value of values) {
      for (const form of forms(value)) expect(text, `${where} must not contain ${form}`).not.toContain(form);
    }
    expect(text, `${where} must not mask names`).not.toContain('<redacted>');
  }
}

describe('no secret reaches a report (canary suite)', () => {
  for (const testCase of CASES) {
    for (const encoding of ['raw', 'base64'] as const) {
      it(`${testCase.name} (${encoding})`, () => {
        const encode = (value: string) => (encoding === 'raw' ? value : b64(value));
        const base = [environment('production', [{ release: release('app'), objects: testCase.objects(encode(OLD_CANARY)) }])];
        const head = [environment('production', [{ release: release('app'), objects: testCase.objects(encode(CANARY)) }])];
        const diff = diffManifests(base, head);
        const changes = diff.environments[0]!.releases[0]!.resources;
        // The change is still reported (as a masked marker), only its value is hidden.
        expect(changes.some((change) => change.patch.includes('<secret: '))).toBe(true);
        expectNoCanary(outputs({ diff }), [CANARY, OLD_CANARY, encode(CANARY), encode(OLD_CANARY)]);
      });
    }
  }

  it('never masks a resource name, kind, namespace or key, even when a secret value equals it', () => {
    const name = 'kube-prometheus-stack-admission';
    const objects = (image: string) => [
      { apiVersion: 'v1', kind: 'Secret', metadata: metadata(name), stringData: { [name]: name, 'namespace-of-it': 'monitoring-apps' } },
      pod(name, { image, args: ['create', `--secret-name=${name}`, '--namespace=apps'] }),
      {
        apiVersion: 'admissionregistration.k8s.io/v1',
        kind: 'ValidatingWebhookConfiguration',
        metadata: { name },
        webhooks: [{ name: 'prometheusrulemutate.monitoring.coreos.com', clientConfig: { service: { name, namespace: 'apps' } } }],
      },
    ];
    const base = [
      environment('production', [
        { release: release('kps'), objects: objects('registry.k8s.io/ingress-nginx/kube-webhook-certgen:v1.6.3') },
      ]),
    ];
    const head = [
      environment('production', [
        { release: release('kps'), objects: objects('registry.k8s.io/ingress-nginx/kube-webhook-certgen:v1.6.4') },
      ]),
    ];
    const diff = diffManifests(base, head);
    const all = outputs({ diff });
    for (const [where, text] of Object.entries(all)) expect(text, where).not.toContain('<redacted>');
    expect(all.comment).toContain(`Deployment.apps apps/${name}`);
    expect(all.comment).toContain(`--secret-name=${name}`);
  });
});

describe('validation findings never quote a credential (canary suite)', () => {
  let fixture: Awaited<ReturnType<typeof schemaFixture>>;
  let schemas: SchemaSource;
  beforeAll(async () => {
    fixture = await schemaFixture();
    schemas = fixture.source();
  });
  afterAll(() => fixture?.remove());

  const crd = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: databases.example.com
spec:
  group: example.com
  names: {kind: Database, plural: databases, singular: database, listKind: DatabaseList}
  scope: Namespaced
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec:
              type: object
              properties:
                adminPassword: {type: integer}
                connection: {type: string, pattern: '^jdbc:'}
                mode: {type: string, enum: [fast, safe]}
                template:
                  type: object
                  x-kubernetes-preserve-unknown-fields: true
                  properties:
                    data: {type: object, additionalProperties: {type: integer}}
`;
  const resources = (value: string) => `${crd}---
apiVersion: example.com/v1
kind: Database
metadata: {name: main, namespace: apps}
spec:
  adminPassword: ${JSON.stringify(value)}
  connection: ${JSON.stringify(`postgres://app:${value}@db/app`)}
  mode: ${JSON.stringify(`--token=${value}`)}
  template: {kind: Secret, data: {password: ${JSON.stringify(b64(value))}}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: apps}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - name: web
          image: registry.example.com/web:1.0
          args: ${JSON.stringify(`--token ${value}`)}
          command: ${JSON.stringify(`curl -H "Authorization: Bearer ${value}" https://x`)}
          env:
            - {name: DB_PASSWORD, value: {from: ${JSON.stringify(value)}}}
`;

  for (const encoding of ['raw', 'base64'] as const) {
    it(`messages, annotations, CLI text and reports (${encoding})`, async () => {
      const value = encoding === 'raw' ? CANARY : b64(CANARY);
      const head = yamlEnvironment('production', { db: resources(value) });
      const report = await validateEnvironments([head], { schemas });
      // Every credential field is reported; none quotes its value.
      expect(report.findings.map((finding) => finding.path).sort()).toEqual(
        [
          '.spec.adminPassword',
          '.spec.connection',
          '.spec.mode',
          '.spec.template.data.password',
          '.spec.template.spec.containers[0].args',
          '.spec.template.spec.containers[0].command',
          '.spec.template.spec.containers[0].env[0].value',
        ].sort(),
      );
      const findings = compareFindings([], report.findings);
      const diff = diffManifests([], [head]);
      expectNoCanary(outputs({ diff, findings }), [CANARY, value]);
      expect(JSON.stringify(report)).not.toContain(CANARY);
      expect(JSON.stringify(report)).not.toContain(b64(CANARY));
    });
  }
});
