import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateEnvironments } from '../../src/validate/validate.js';
import type { Finding } from '../../src/validate/findings/finding.js';
import type { SchemaSource } from '../../src/validate/schemas/schema-source.js';
import { environment, schemaFixture, widgetCrd } from './fixtures.js';

type Fixture = Awaited<ReturnType<typeof schemaFixture>>;

const validWidget = `apiVersion: example.com/v1alpha1
kind: Widget
metadata:
  name: front
  labels:
    team: web
spec:
  size: 3
  color: yellow
  replicas: 0
  port: http
  retention: 1h30m
  nickname: null
  extra:
    anything: goes
    nested:
      free: [form, 1, true]
`;

/** A CRD exercising what the Widget fixture does not: Go regex syntax, embedded resources, list types. */
const gadgetCrd = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: gadgets.example.org
spec:
  group: example.org
  names: {kind: Gadget, plural: gadgets, singular: gadget, listKind: GadgetList}
  scope: Namespaced
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          required: [spec]
          properties:
            spec:
              type: object
              required: [code, owner]
              properties:
                code:
                  type: string
                  pattern: '(?i)^[a-z]+\\-[0-9]+$'
                label:
                  type: string
                  pattern: '^\\pL+$'
                klass:
                  type: string
                  pattern: '^[[:alpha:]]+$'
                mixed:
                  type: string
                  pattern: '^a(?i)b$'
                nested:
                  type: string
                  pattern: '^(a+)+$'
                lookahead:
                  type: string
                  pattern: '^(?=a)b$'
                owner:
                  type: string
                  nullable: true
                template:
                  type: object
                  x-kubernetes-embedded-resource: true
                  x-kubernetes-preserve-unknown-fields: true
                ports:
                  type: array
                  x-kubernetes-list-type: map
                  x-kubernetes-list-map-keys: [name]
                  items:
                    type: object
                    required: [name]
                    properties:
                      name: {type: string}
                      port: {type: integer, format: int32}
                tags:
                  type: array
                  x-kubernetes-list-type: set
                  items: {type: string}
                window:
                  x-kubernetes-int-or-string: true
                  anyOf: [{type: integer}, {type: string}]
                when: {type: string, format: date-time}
                network: {type: string, format: cidr}
                ratio: {type: number, exclusiveMinimum: true, minimum: 0, maximum: 1}
    - name: v0
      served: false
      storage: false
      schema:
        openAPIV3Schema: {type: object}
`;

function brief(findings: Finding[]) {
  return findings.map(({ release, path, message, rule }) => ({ release, path, message, rule }));
}

describe('custom resources against CRDs from the render', () => {
  let fixture: Fixture;
  let schemas: SchemaSource;
  beforeAll(async () => {
    fixture = await schemaFixture();
    schemas = fixture.source();
  });
  afterAll(() => fixture?.remove());

  it('passes a valid Widget (null optional field, preserve-unknown-fields block) checked against the CRD of another release, and the CRD itself', async () => {
    const report = await validateEnvironments([environment('production', { operators: widgetCrd(), apps: validWidget })], { schemas });
    expect(report.findings).toEqual([]);
    expect(report.skipped).toEqual([]);
    expect(report.resourceCount).toBe(2);
  });

  it('reports every way a Widget violates the CRD shipped in another release', async () => {
    const widget = `apiVersion: example.com/v1alpha1
kind: Widget
metadata:
  name: front
spec:
  size: 0
  colour: red
  color: purple
  replicas: "2"
  retention: soon
  port: [80]
  nickname: null
---
apiVersion: example.com/v1alpha1
kind: Widget
metadata:
  name: back
  nickname: b
spec:
  color: red
status:
  ready: "yes"
`;
    const report = await validateEnvironments([environment('production', { operators: widgetCrd(), apps: widget })], { schemas });
    expect(brief(report.findings)).toEqual([
      { release: 'apps', path: '.metadata.nickname', message: 'unknown field "nickname"', rule: 'unknown-field' },
      { release: 'apps', path: '.spec', message: 'missing required field "size"', rule: 'missing-field' },
      { release: 'apps', path: '.status.ready', message: 'expected boolean, got string "yes"', rule: 'invalid-value' },
      { release: 'apps', path: '.spec.size', message: 'integer 0 must be >= 1', rule: 'invalid-value' },
      { release: 'apps', path: '.spec.colour', message: 'unknown field "colour"; did you mean "color"?', rule: 'unknown-field' },
      {
        release: 'apps',
        path: '.spec.color',
        message: 'string "purple" is not one of the allowed values: "red", "green", "blue", "yellow"',
        rule: 'invalid-value',
      },
      {
        release: 'apps',
        path: '.spec.replicas',
        message: 'expected integer, got string "2"; write it without quotes (in a template: drop `quote`, or use `int`/`toYaml`)',
        rule: 'invalid-value',
      },
      {
        release: 'apps',
        path: '.spec.retention',
        message: 'string "soon" is not a valid duration (e.g. 30s, 1h30m, 7d)',
        rule: 'invalid-value',
      },
      { release: 'apps', path: '.spec.port', message: 'expected integer or string, got a list', rule: 'invalid-value' },
    ]);
    expect(report.findings.every((finding) => finding.line !== undefined && finding.line > 1)).toBe(true);
  });

  it('checks each environment against its own version of the CRD', async () => {
    const staging = environment('staging', { operators: widgetCrd('0.1.0'), apps: validWidget });
    const production = environment('production', { operators: widgetCrd('0.2.0'), apps: validWidget });
    const report = await validateEnvironments([staging, production], { schemas });
    expect(report.findings.map(({ environment, path, rule }) => ({ environment, path, rule }))).toEqual([
      { environment: 'staging', path: '.spec.color', rule: 'invalid-value' },
      { environment: 'staging', path: '.spec.replicas', rule: 'unknown-field' },
    ]);
  });

  it('reports a version the CRD does not serve, and a custom resource without any CRD unless an extra CRD file defines it', async () => {
    const v1beta1 = validWidget.replace('example.com/v1alpha1', 'example.com/v1beta1');
    const served = await validateEnvironments([environment('staging', { operators: widgetCrd(), apps: v1beta1 })], { schemas });
    expect(brief(served.findings)).toEqual([
      {
        release: 'apps',
        path: '',
        rule: 'api-not-served',
        message:
          'apiVersion example.com/v1beta1 is not served by the CustomResourceDefinition widgets.example.com (release "operators" (staging/operators/customresourcedefinition.apiextensions.k8s.io_widgets.example.com.yaml)); it serves example.com/v1alpha1',
      },
    ]);

    const alone = environment('staging', { apps: validWidget.replace('color: yellow', 'color: pink') });
    const missing = await validateEnvironments([alone], { schemas });
    expect(missing.findings.map((finding) => finding.rule)).toEqual(['missing-schema']);
    expect(missing.findings[0]!.message).toContain(
      'no CustomResourceDefinition rendered in environment "staging" or given as an extra CRD defines Widget.example.com',
    );

    const directory = await mkdtemp(join(tmpdir(), 'hydrate-crds-'));
    try {
      await writeFile(
        join(directory, 'widgets.yaml'),
        `# not a CRD\napiVersion: v1\nkind: Namespace\nmetadata: {name: x}\n---\n${widgetCrd()}`,
      );
      const extra = await validateEnvironments([alone], { schemas, extraCrds: [directory] });
      expect(brief(extra.findings)).toEqual([
        {
          release: 'apps',
          path: '.spec.color',
          rule: 'invalid-value',
          message: 'string "pink" is not one of the allowed values: "red", "green", "blue", "yellow"',
        },
      ]);
      await expect(validateEnvironments([alone], { schemas, extraCrds: [join(directory, 'absent')] })).rejects.toThrow(
        /extra CRD path ".*absent": does not exist/,
      );
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });

  it('matches Go regular expressions as the API server does (in linear time), reports the ones RE2 rejects, and honours embedded resources, list types, nullable and int-or-string', async () => {
    const gadgets = `apiVersion: example.org/v1
kind: Gadget
metadata: {name: good}
spec:
  code: ABC-12
  label: Grüße
  klass: abc
  mixed: aB
  nested: aaaa
  lookahead: anything
  owner: null
  template:
    apiVersion: v1
    kind: ConfigMap
    metadata: {name: x, labels: {a: b}}
    data: {free: form}
  ports: [{name: http, port: 80}, {name: https, port: 443}]
  tags: [a, b]
  window: 5m
  when: 2026-01-31T12:00:00Z
  network: 10.0.0.0/16
  ratio: 0.5
---
apiVersion: example.org/v1
kind: Gadget
metadata: {name: bad}
spec:
  code: abc_12
  label: x1
  klass: a-b
  mixed: AB
  nested: ${'a'.repeat(50_000)}!
  owner: null
  template:
    metadata: {name: x, labelz: {}}
  ports: [{name: http, port: 80}, {name: http, port: 8080}]
  tags: [a, a]
  window: 1.5
  when: yesterday
  network: 10.0.0.0/99
  ratio: 0
`;
    // 50,001 characters against ^(a+)+$: a backtracking engine would need about 2^50000 steps; RE2 answers at once.
    const report = await validateEnvironments([environment('staging', { platform: gadgetCrd, apps: gadgets })], { schemas });
    expect(report.findings.filter((finding) => finding.resource.name === 'good')).toEqual([]);
    expect(brief(report.findings)).toEqual([
      {
        release: 'apps',
        path: '.spec.code',
        rule: 'invalid-value',
        message: 'string "abc_12" does not match the pattern (?i)^[a-z]+\\-[0-9]+$',
      },
      { release: 'apps', path: '.spec.label', rule: 'invalid-value', message: 'string "x1" does not match the pattern ^\\pL+$' },
      { release: 'apps', path: '.spec.klass', rule: 'invalid-value', message: 'string "a-b" does not match the pattern ^[[:alpha:]]+$' },
      { release: 'apps', path: '.spec.mixed', rule: 'invalid-value', message: 'string "AB" does not match the pattern ^a(?i)b$' },
      {
        release: 'apps',
        path: '.spec.nested',
        rule: 'invalid-value',
        message: expect.stringMatching(/^string "a+…" does not match the pattern \^\(a\+\)\+\$$/),
      },
      { release: 'apps', path: '.spec.template', rule: 'missing-field', message: 'missing required field "apiVersion"' },
      { release: 'apps', path: '.spec.template', rule: 'missing-field', message: 'missing required field "kind"' },
      {
        release: 'apps',
        path: '.spec.template.metadata.labelz',
        rule: 'unknown-field',
        message: 'unknown field "labelz"; did you mean "labels"?',
      },
      {
        release: 'apps',
        path: '.spec.ports',
        rule: 'duplicate-list-entry',
        message: 'duplicate entry: items [0] and [1] have the same name "http"',
      },
      {
        release: 'apps',
        path: '.spec.tags',
        rule: 'duplicate-list-entry',
        message: 'items [0] and [1] are the same; the list must not repeat entries',
      },
      { release: 'apps', path: '.spec.window', rule: 'invalid-value', message: 'expected integer or string, got number 1.5' },
      {
        release: 'apps',
        path: '.spec.when',
        rule: 'invalid-value',
        message: 'string "yesterday" is not a valid date-time (RFC 3339, e.g. 2026-01-31T12:00:00Z)',
      },
      {
        release: 'apps',
        path: '.spec.network',
        rule: 'invalid-value',
        message: 'string "10.0.0.0/99" is not a valid cidr (e.g. 10.0.0.0/16)',
      },
      { release: 'apps', path: '.spec.ratio', rule: 'invalid-value', message: 'integer 0 must be > 0' },
    ]);
    expect(report.warnings.map(({ release, file, path, message, rule }) => ({ release, file, path, message, rule }))).toEqual([
      {
        release: 'platform',
        file: 'staging/platform/customresourcedefinition.apiextensions.k8s.io_gadgets.example.org.yaml',
        path: '.spec.versions[name=v1].schema.openAPIV3Schema.properties.spec.properties.lookahead.pattern',
        message:
          'pattern "^(?=a)b$" is not checked: it is not a valid Go (RE2) regular expression (error parsing regexp: invalid or unsupported Perl syntax: `(?=`); values of Gadget are accepted without this check',
        rule: 'pattern-not-checked',
      },
    ]);
    const unserved = await validateEnvironments(
      [environment('staging', { platform: gadgetCrd, apps: gadgets.replace(/example\.org\/v1$/gm, 'example.org/v0') })],
      { schemas },
    );
    expect(unserved.findings.map((finding) => finding.message)).toEqual([
      expect.stringMatching(
        /^apiVersion example.org\/v0 is not served by the CustomResourceDefinition gadgets.example.org .*; it serves example.org\/v1$/,
      ),
      expect.stringMatching(/^apiVersion example.org\/v0 is not served/),
    ]);
  });

  it('validates CustomResourceDefinition objects themselves against the apiextensions schema', async () => {
    const broken = widgetCrd()
      .replace('x-kubernetes-preserve-unknown-fields: true', 'x-kubernetes-preserve-unknown-field: true')
      .replace('served: true', 'served: "yes"');
    const report = await validateEnvironments([environment('staging', { operators: broken })], { schemas });
    expect(brief(report.findings)).toEqual([
      {
        release: 'operators',
        path: '.spec.versions[0].served',
        rule: 'invalid-value',
        message: 'expected boolean, got string "yes"',
      },
      {
        release: 'operators',
        path: '.spec.versions[0].schema.openAPIV3Schema.properties.spec.properties.extra["x-kubernetes-preserve-unknown-field"]',
        rule: 'unknown-field',
        message: 'unknown field "x-kubernetes-preserve-unknown-field"; did you mean "x-kubernetes-preserve-unknown-fields"?',
      },
    ]);
  });
});
