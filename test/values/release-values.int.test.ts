import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { runCli } from '../../src/cli.js';
import { KUBERNETES_OPENAPI_DOCUMENTS } from '../support/kubernetes-openapi-server.js';
import { findIgnoredValues, ValuesCheckError } from '../../src/values/release-values.js';
import { formatIgnoredValuesText, groupIgnoredValues, type IgnoredValue } from '../../src/values/ignored-value.js';
import { testToolchain } from '../support/toolchain.js';

/** A platform whose web values carry two mistakes helm would render without a word. */
const HELMFILE = (repositoryUrl: string) => `environments:
  staging: {}
  production: {}
---
repositories:
  - name: fixtures
    url: ${repositoryUrl}
releases:
  - name: web
    namespace: apps
    chart: fixtures/webapp
    version: 1.1.0
    values:
      - values/web.yaml.gotmpl
      - resources:
          limits:
            memory: 128Mi
  - name: csi
    namespace: storage
    chart: fixtures/csi-driver
    version: 2.0.0
`;

const WEB_VALUES = `image:
  tag: "1.27.1"
ingress:
  enabled: true
  # The chart's key is host.
  hostname: app.example.org
# Every key of config becomes a ConfigMap entry (range over .Values.config).
config:
  FEATURE_FLAGS: all
{{- if eq .Environment.Name "production" }}
replicas: 3
{{- end }}
`;

let toolchain: Awaited<ReturnType<typeof testToolchain>>;
let scratch: string;
let found: IgnoredValue[];

beforeAll(async () => {
  toolchain = await testToolchain();
  scratch = await mkdtemp(join(tmpdir(), 'hydrate-values-'));
  await mkdir(join(scratch, 'helmfile', 'values'), { recursive: true });
  await writeFile(join(scratch, 'helmfile', 'helmfile.yaml.gotmpl'), HELMFILE(inject('chartRepositoryUrl')));
  await writeFile(join(scratch, 'helmfile', 'values', 'web.yaml.gotmpl'), WEB_VALUES);
  found = await findIgnoredValues({ helmfile: 'helmfile', cwd: scratch }, toolchain);
});

afterAll(async () => {
  await toolchain?.remove();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

describe('values the charts ignore, with the real helmfile', () => {
  it('names the values file, the line, the key and the nearest key of the chart, per environment', () => {
    expect(found).toEqual([
      {
        environment: 'staging',
        release: 'web',
        chart: 'fixtures/webapp@1.1.0',
        file: 'helmfile/values/web.yaml.gotmpl',
        line: 6,
        key: 'ingress.hostname',
        closest: 'ingress.host',
      },
      {
        environment: 'production',
        release: 'web',
        chart: 'fixtures/webapp@1.1.0',
        file: 'helmfile/values/web.yaml.gotmpl',
        line: 6,
        key: 'ingress.hostname',
        closest: 'ingress.host',
      },
      {
        environment: 'production',
        release: 'web',
        chart: 'fixtures/webapp@1.1.0',
        file: 'helmfile/values/web.yaml.gotmpl',
        line: 11,
        key: 'replicas',
        closest: 'replicaCount',
      },
    ]);
  });

  it('reports a key set in every environment once', () => {
    expect(formatIgnoredValuesText(found)).toBe(
      [
        'helmfile/values/web.yaml.gotmpl:6: ingress.hostname is not a value of fixtures/webapp@1.1.0 (release web, environments staging, production); helm ignores it; did you mean ingress.host? [ignored-value]',
        'helmfile/values/web.yaml.gotmpl:11: replicas is not a value of fixtures/webapp@1.1.0 (release web, environment production); helm ignores it; did you mean replicaCount? [ignored-value]',
        '2 value(s) the charts ignore',
        '',
      ].join('\n'),
    );
    expect(groupIgnoredValues(found)).toHaveLength(2);
  });

  it("fails with helmfile's message when the charts cannot be fetched", async () => {
    const broken = join(scratch, 'broken');
    await mkdir(broken, { recursive: true });
    await writeFile(
      join(broken, 'helmfile.yaml'),
      'repositories:\n  - name: fixtures\n    url: http://127.0.0.1:9/nothing-listens-here\nreleases:\n  - name: web\n    chart: fixtures/webapp\n    version: 1.1.0\n',
    );
    const error = await findIgnoredValues({ helmfile: broken, cwd: scratch }, toolchain).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ValuesCheckError);
    expect((error as Error).message).toMatch(/helmfile fetch failed for environment "default"/);
  });

  it('helmfile-hydrate validate lists them after the schema findings and exits 1; --no-values-check skips them', async () => {
    const out: string[] = [];
    const terminal = { out: (text: string) => out.push(text), err: () => {} };
    const common = [
      'validate',
      '--helmfile',
      join(scratch, 'helmfile'),
      '--environments',
      'staging',
      '--kubernetes-version',
      '1.35',
      '--kubernetes-schemas',
      `${join(KUBERNETES_OPENAPI_DOCUMENTS, '{minor}', 'api', 'openapi-spec', 'v3')}/`,
      '--schema-cache',
      join(scratch, 'schemas'),
      '--helm',
      toolchain.helm.path,
      '--helmfile-binary',
      toolchain.helmfile.path,
    ];
    const previous = { ...process.env };
    Object.assign(process.env, toolchain.env);
    try {
      expect(await runCli(common, terminal)).toBe(1);
      expect(out.join('')).toMatch(
        /^0 finding\(s\) in \d+ resource\(s\) validated against Kubernetes 1\.35; 0 skipped, 0 warning\(s\)\n\n.*helmfile\/values\/web\.yaml\.gotmpl:6: ingress\.hostname is not a value of fixtures\/webapp@1\.1\.0 \(release web, environment staging\); helm ignores it; did you mean ingress\.host\? \[ignored-value\]\n1 value\(s\) the charts ignore\n$/,
      );
      out.length = 0;
      expect(await runCli([...common, '--no-values-check'], terminal)).toBe(0);
      expect(out.join('')).not.toContain('ignored-value');
    } finally {
      process.env = previous;
    }
  });
});
