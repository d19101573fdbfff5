import { describe, expect, it } from 'vitest';
import { findIgnoredKeys, nearest } from '../../src/values/ignored-values.js';
import { keyLine } from '../../src/values/key-line.js';
import { templateReferences, type ChartValues } from '../../src/values/chart-values.js';

function chart(partial: Partial<ChartValues> & { templates?: string[] }): ChartValues {
  const { templates = [], ...rest } = partial;
  return {
    name: 'app',
    version: '1.0.0',
    defaults: {},
    subcharts: new Map(),
    conditions: [],
    references: templateReferences(templates),
    ...rest,
  };
}

const paths = (values: Record<string, unknown>, of: ChartValues) =>
  findIgnoredKeys(values, of).map((found) => `${found.path.join('.')} -> ${found.closest?.join('.') ?? '-'}`);

describe('findIgnoredKeys', () => {
  it('reports keys values.yaml does not declare, with the nearest key at the same place', () => {
    const app = chart({ defaults: { replicaCount: 1, ingress: { enabled: false, host: 'a', className: '' } } });
    expect(paths({ replicas: 2, ingress: { enabled: true, hostname: 'b' } }, app)).toEqual([
      'replicas -> replicaCount',
      'ingress.hostname -> ingress.host',
    ]);
  });

  it('does not look into free-form maps: empty, list or null defaults, and metadata/scheduling/resources keys', () => {
    const app = chart({
      defaults: {
        podLabels: {},
        extraArgs: [],
        nodeSelector: null,
        resources: { requests: { cpu: '10m' } },
        controller: { annotations: { a: 'b' } },
      },
    });
    expect(
      paths(
        {
          podLabels: { team: 'x' },
          extraArgs: ['--v'],
          nodeSelector: { disk: 'ssd' },
          resources: { limits: { memory: '1Gi' } },
          controller: { annotations: { c: 'd' } },
        },
        app,
      ),
    ).toEqual([]);
  });

  it('treats maps keyed like ConfigMap data (dotted keys) as free-form', () => {
    const app = chart({ defaults: { configs: { cm: { create: true, 'application.instanceLabelKey': 'x' } } } });
    expect(paths({ configs: { cm: { 'timeout.reconciliation': '180s' } } }, app)).toEqual([]);
  });

  it('accepts keys the schema declares ($ref, allOf) or lets through (additionalProperties)', () => {
    const schema = {
      type: 'object',
      definitions: { probe: { type: 'object', properties: { enabled: { type: 'boolean' }, periodSeconds: { type: 'integer' } } } },
      properties: {
        probe: { $ref: '#/definitions/probe' },
        tuning: { allOf: [{ properties: { a: {} } }, { properties: { b: {} } }] },
        limits: { type: 'object', additionalProperties: { type: 'string' } },
      },
    };
    const app = chart({ schema });
    expect(paths({ probe: { enabled: true, period: 5 }, tuning: { a: 1, b: 2, c: 3 }, limits: { anything: 'x' } }, app)).toEqual([
      'probe.period -> probe.periodSeconds',
      'tuning.c -> tuning.a',
    ]);
  });

  it('accepts keys the templates read although values.yaml only mentions them in a comment', () => {
    const app = chart({
      defaults: { persistence: { enabled: true }, operatorConfig: { plugin: { replicas: 1 } } },
      templates: [
        '{{- with .Values.persistence.storageClass }}storageClassName: {{ . }}{{- end }}',
        '{{- $config := .Values.operatorConfig -}}\npriorityClassName: {{ $config.plugin.priorityClassName }}',
        '{{ index .Values.params "server.insecure" }}',
      ],
    });
    expect(
      paths(
        {
          persistence: { storageClass: 'ceph', storageclass: 'ceph' },
          operatorConfig: { plugin: { priorityClassName: 'high', replica: 2 } },
          params: { 'server.insecure': true },
        },
        app,
      ),
    ).toEqual(['persistence.storageclass -> persistence.storageClass', 'operatorConfig.plugin.replica -> operatorConfig.plugin.replicas']);
  });

  it('does not look below values the templates render whole (toYaml, range, with ... toYaml .)', () => {
    const app = chart({
      defaults: { clusterSpec: { mon: { count: 3 } }, env: {}, limits: { ingestion_rate: 4 } },
      templates: [
        'spec: {{- toYaml .Values.clusterSpec | nindent 2 }}',
        '{{- range $name, $value := .Values.settings }}{{ $name }}={{ $value }}{{ end }}',
        '{{- with .Values.limits }}\nlimits_config:\n  {{- toYaml . | nindent 2 }}\n{{- end }}',
      ],
    });
    expect(
      paths({ clusterSpec: { storage: { deviceFilter: 'sdb' } }, settings: { any: 1 }, limits: { retention_period: '30d' } }, app),
    ).toEqual([]);
  });

  it('checks subchart values under the alias against the subchart, with its condition and its globals', () => {
    const database = chart({ name: 'postgresql', defaults: { auth: { database: 'app' }, global: { storageClass: '' } } });
    const app = chart({
      defaults: { global: { imageRegistry: '' } },
      subcharts: new Map([
        ['db', database],
        ['cache', undefined],
      ]),
      conditions: ['db.enabled'],
    });
    expect(
      paths(
        {
          db: { enabled: true, auth: { database: 'x', usrname: 'y' } },
          cache: { anything: 1 },
          global: { storageClass: 'ceph', imageRegistri: 'r' },
          tags: { x: true },
        },
        app,
      ),
    ).toEqual(['db.auth.usrname -> db.auth.database', 'global.imageRegistri -> global.imageRegistry']);
  });
});

describe('nearest', () => {
  it('prefers a case-insensitive match, then the smallest edit distance, then a prefix', () => {
    expect(nearest('replicacount', ['replicaCount', 'replicas'])).toBe('replicaCount');
    expect(nearest('hostname', ['className', 'host'])).toBe('host');
    expect(nearest('x', [])).toBeUndefined();
  });
});

describe('keyLine', () => {
  const text = [
    '# comment: not a key',
    'image:',
    '  tag: "1.0"',
    '{{- if .Values.highAvailability }}',
    'ingress:',
    '  enabled: true',
    '  tls:',
    '    - hosts: [a]',
    '      secretName: x',
    '  "quoted.key": 1',
    '{{- end }}',
  ].join('\n');

  it('finds the line of a key path in a .gotmpl values file', () => {
    expect(keyLine(text, ['image', 'tag'])).toBe(3);
    expect(keyLine(text, ['ingress', 'enabled'])).toBe(6);
    expect(keyLine(text, ['ingress', 'quoted.key'])).toBe(10);
  });

  it('falls back to the deepest part of the path it finds', () => {
    expect(keyLine(text, ['ingress', 'missing'])).toBe(5);
    expect(keyLine(text, ['nothing'])).toBeUndefined();
  });
});
