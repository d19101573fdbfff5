import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { diffCommand } from '../../src/cli/diff-command.js';
import { CHECK_EVERYTHING_VARIABLE } from '../../src/compare/settings.js';
import { GitopsRepo, type FixtureRelease, type FixtureRepoSpec } from '../support/gitops-repo.js';
import { isolatedHelmEnv } from '../support/helm-home.js';
import { KUBERNETES_OPENAPI_DOCUMENTS } from '../support/kubernetes-openapi-server.js';

/** The pinned Kubernetes OpenAPI documents, read from disk. */
const LOCAL_SCHEMAS = `${join(KUBERNETES_OPENAPI_DOCUMENTS, '{minor}', 'api', 'openapi-spec', 'v3')}/`;

/** A chart shipping one CRD, Gadget, whose `size` has a minimum the values set. */
const GADGETS_CHART = {
  'helmfile/charts/gadgets/Chart.yaml': 'apiVersion: v2\nname: gadgets\nversion: 0.1.0\n',
  'helmfile/charts/gadgets/values.yaml': 'minimum: 1\n',
  'helmfile/charts/gadgets/templates/crd.yaml': `apiVersion: apiextensions.k8s.io/v1
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
          properties:
            spec:
              type: object
              properties:
                size: {type: integer, minimum: {{ .Values.minimum }}}
`,
};

/** Apps with a finding nobody touches (a typo), one the values add (`broken`) and one they remove (`legacy`). */
const APPS_CHART = {
  'helmfile/charts/apps/Chart.yaml': 'apiVersion: v2\nname: apps\nversion: 0.1.0\n',
  'helmfile/charts/apps/values.yaml': 'greeting: hello\nbroken: false\nlegacy: true\n',
  'helmfile/charts/apps/templates/deployment.yaml': `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replica: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: nginx}]
`,
  'helmfile/charts/apps/templates/gadget.yaml': `apiVersion: example.org/v1
kind: Gadget
metadata:
  name: small
spec:
  size: 3
{{- if .Values.broken }}
---
apiVersion: example.org/v1
kind: Gadget
metadata:
  name: zero
spec:
  size: 0
{{- end }}
`,
  'helmfile/charts/apps/templates/configmap.yaml': `apiVersion: v1
kind: ConfigMap
metadata:
  name: greeting
data:
  greeting: {{ .Values.greeting | quote }}
{{- if .Values.legacy }}
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: legacy
data:
  nested: {a: b}
{{- end }}
`,
};

// A pull request's report is the same whether the checks reuse what they may (the head's unchanged
// resources take the base's validation outcome; staging reads the charts production fetched for
// the values check) or every check runs in full (HELMFILE_HYDRATE_CHECK_EVERYTHING=1), byte for
// byte, in JSON and markdown: when the change is in the apps, and when it is in a CRD the
// unchanged resources validate against.
describe('diff reports the same with and without reusing checks of what did not change', () => {
  let repo: GitopsRepo;
  let helmHome: Awaited<ReturnType<typeof isolatedHelmEnv>>;
  const commits: Record<string, string> = {};
  const saved = { ...process.env };

  const spec = (apps: Record<string, unknown>, gadgets: FixtureRelease['valuesByEnvironment'] = {}): FixtureRepoSpec => ({
    repositoryUrl: inject('chartRepositoryUrl'),
    environments: ['production', 'staging'],
    releases: [
      // `unused` is a key the chart ignores, on both sides: the values check reports it every time.
      { name: 'gadgets', namespace: 'crds', chart: './charts/gadgets', values: { unused: true }, valuesByEnvironment: gadgets },
      { name: 'apps', namespace: 'apps', chart: './charts/apps', values: apps },
    ],
  });

  beforeAll(async () => {
    helmHome = await isolatedHelmEnv();
    Object.assign(process.env, helmHome.env);
    repo = await GitopsRepo.create(spec({}));
    for (const [path, content] of Object.entries({ ...GADGETS_CHART, ...APPS_CHART })) await repo.write(path, content);
    commits.base = await repo.commit('charts');
    await repo.writeSpec(spec({ greeting: 'bonjour', broken: true, legacy: false, colour: 'blue' }));
    commits.apps = await repo.commit('apps: greeting, a broken gadget, no legacy map, an ignored colour');
    await repo.git('checkout', '--quiet', '-b', 'crd', commits.base);
    await repo.writeSpec(spec({}, { staging: { minimum: 5 } }));
    commits.crd = await repo.commit("staging's gadgets need a size of 5");
  });
  afterAll(async () => {
    for (const name of Object.keys(helmHome?.env ?? {})) {
      if (saved[name] === undefined) delete process.env[name];
      else process.env[name] = saved[name];
    }
    delete process.env[CHECK_EVERYTHING_VARIABLE];
    await repo?.remove();
    await helmHome?.remove();
  });

  /** The report and log of `diff` from the base to `head`, all validated again when `revalidate` is set. */
  const diff = async (head: string, format: 'json' | 'markdown', revalidate: boolean) => {
    const out: string[] = [];
    const err: string[] = [];
    if (revalidate) process.env[CHECK_EVERYTHING_VARIABLE] = '1';
    else delete process.env[CHECK_EVERYTHING_VARIABLE];
    const tools = ['--helm', inject('helmPath'), '--helmfile-binary', inject('helmfilePath')];
    const args = ['--base', commits.base!, '--head', commits[head]!, '--kubernetes-schemas', LOCAL_SCHEMAS, '--no-api-server'];
    const code = await diffCommand(
      [...args, ...tools, '--format', format, '--budget', 'none'],
      { out: (text) => out.push(text), err: (text) => err.push(text) },
      repo.dir,
    );
    delete process.env[CHECK_EVERYTHING_VARIABLE];
    return { code, report: out.join(''), log: err.join('') };
  };

  /** Both formats, reusing and validating everything: the reports must be equal. */
  const compareBothWays = async (head: string) => {
    const result: Record<string, { reusing: string; everything: string; log: string }> = {};
    for (const format of ['json', 'markdown'] as const) {
      const reusing = await diff(head, format, false);
      const everything = await diff(head, format, true);
      expect(reusing.code, reusing.log).toBe(everything.code);
      expect(everything.log).not.toContain('unchanged since the base');
      result[format] = { reusing: reusing.report, everything: everything.report, log: reusing.log };
    }
    return result;
  };

  it('a change to the apps: the same findings, values and diff; unchanged resources validated once', async () => {
    const { json, markdown } = await compareBothWays('apps');
    expect(json!.reusing).toBe(json!.everything);
    expect(markdown!.reusing).toBe(markdown!.everything);
    const report = JSON.parse(json!.reusing) as {
      findings: { introduced: Array<{ environment: string; resource: { name: string } }>; preexistingCount: number };
      ignoredValues?: unknown;
    };
    expect(report.findings.introduced.map((finding) => `${finding.environment} ${finding.resource.name}`)).toEqual([
      'production zero',
      'staging zero',
    ]);
    expect(report.findings.preexistingCount).toBe(2);
    expect(JSON.stringify(report.ignoredValues)).toContain('colour');
    // Both environments' CRD, Deployment and small Gadget.
    expect(json!.log).toContain('6 head resource(s) unchanged since the base: validated once, on the base');
  }, 300_000);

  it("a change to staging's CRD: its unchanged Gadget is validated again and found too small", async () => {
    const { json, markdown } = await compareBothWays('crd');
    expect(json!.reusing).toBe(json!.everything);
    expect(markdown!.reusing).toBe(markdown!.everything);
    const report = JSON.parse(json!.reusing) as { findings: { introduced: Array<{ environment: string; resource: { name: string } }> } };
    expect(report.findings.introduced.map((finding) => `${finding.environment} ${finding.resource.name}`)).toEqual(['staging small']);
    // Production's five resources only.
    expect(json!.log).toContain('5 head resource(s) unchanged since the base: validated once, on the base');
  }, 300_000);
});
