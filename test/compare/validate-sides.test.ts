import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateSides } from '../../src/compare/stages.js';
import type { RenderedRevision, RenderedSides } from '../../src/compare/render-sides.js';
import type { CompareSettings } from '../../src/compare/settings.js';
import type { EnvironmentManifests } from '../../src/model/manifests.js';
import { validateEnvironments, validateEnvironmentsReusing } from '../../src/validate/validate.js';
import type { SchemaSource } from '../../src/validate/schemas/schema-source.js';
import { crdYaml, environment, schemaFixture } from '../validate/fixtures.js';

type Fixture = Awaited<ReturnType<typeof schemaFixture>>;

/** A Gadget CRD whose `size` has the given minimum, and a `code` pattern RE2 cannot check (a warning on every run). */
const gadgets = (minimum: number) =>
  crdYaml('example.org', 'Gadget', `size:\n  type: integer\n  minimum: ${minimum}\ncode:\n  type: string\n  pattern: '^(?=x)'`);
const gadget = (name: string, size: number) =>
  `apiVersion: example.org/v1\nkind: Gadget\nmetadata:\n  name: ${name}\nspec:\n  size: ${size}\n`;
/** A Deployment with a typo (`replica`): a finding on both sides while nobody touches it. */
const typoDeployment = `apiVersion: apps/v1
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
`;
const configMap = (name: string, value: string) =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n  value: ${value}\n`;
const documents = (...texts: string[]) => texts.join('---\n');

const revision = (side: 'base' | 'head', environments: EnvironmentManifests[]): RenderedRevision =>
  ({ side, sha: side, source: 'render', environments, failures: [], declared: [], missingHelmfile: false }) as unknown as RenderedRevision;
const sides = (base: EnvironmentManifests[], head: EnvironmentManifests[]): RenderedSides => ({
  base: revision('base', base),
  head: revision('head', head),
  directories: { base: '/nonexistent/base', head: '/nonexistent/head' },
});
const settings = (checkEverything: boolean) => ({ skipKinds: [], checkEverything }) as unknown as CompareSettings;

/** Both environments of a platform: CRDs in one release, apps (with a preexisting finding) in another. */
const platform = (options: { minimum: Record<string, number>; greeting: string; first?: string; extra?: string; legacy?: boolean }) =>
  ['production', 'staging'].map((name) =>
    environment(name, {
      crds: gadgets(options.minimum[name] ?? 1),
      apps: documents(
        ...(options.first ? [options.first] : []),
        typoDeployment,
        gadget('small', 3),
        gadget('large', 9),
        configMap('greeting', options.greeting),
        ...(options.extra ? [options.extra] : []),
        ...(options.legacy ? [configMap('legacy', '{nested: map}')] : []),
      ),
    }),
  );

describe('validateSides reuses the base outcome of unchanged head resources', () => {
  let fixture: Fixture;
  let schemas: SchemaSource;
  beforeAll(async () => {
    fixture = await schemaFixture();
    schemas = fixture.source();
  });
  afterAll(() => fixture?.remove());

  const both = async (base: EnvironmentManifests[], head: EnvironmentManifests[]) => {
    const logs: string[] = [];
    const reusing = await validateSides(sides(base, head), settings(false), schemas, (line) => logs.push(line));
    const everything = await validateSides(sides(base, head), settings(true), schemas, () => {});
    return { reusing, everything, logs };
  };

  it('finds what validating everything finds: introduced, preexisting and resolved', async () => {
    const base = platform({ minimum: {}, greeting: 'hello', legacy: true });
    const head = platform({ minimum: {}, greeting: 'bonjour', extra: gadget('zero', 0) });
    const { reusing, everything, logs } = await both(base, head);
    expect(reusing).toEqual(everything);
    expect(JSON.stringify(reusing)).toBe(JSON.stringify(everything));
    // The typo is preexisting in both environments, the zero Gadget introduced, the legacy map resolved.
    expect(reusing.findings!.preexisting.map((finding) => finding.path)).toEqual(['.spec.replica', '.spec.replica']);
    expect(reusing.findings!.introduced.map((finding) => `${finding.environment} ${finding.path}`)).toEqual([
      'production .spec.size',
      'staging .spec.size',
    ]);
    expect(reusing.findings!.resolved).toHaveLength(2);
    // CRD, Deployment and two Gadgets per environment were taken from the base.
    expect(logs).toContain('8 head resource(s) unchanged since the base: validated once, on the base');
  });

  it('validates again every resource of an environment whose CRDs changed, even one whose bytes did not', async () => {
    const base = platform({ minimum: {}, greeting: 'hello' });
    const head = platform({ minimum: { staging: 5 }, greeting: 'hello' });
    const { reusing, everything, logs } = await both(base, head);
    expect(JSON.stringify(reusing)).toBe(JSON.stringify(everything));
    // The small Gadget is byte for byte the base's, but staging's CRD now asks for 5 at least.
    expect(reusing.findings!.introduced.map((finding) => `${finding.environment} ${finding.resource.name} ${finding.path}`)).toEqual([
      'staging small .spec.size',
    ]);
    // Production's five resources only: staging's CRD changed.
    expect(logs).toContain('5 head resource(s) unchanged since the base: validated once, on the base');
  });

  it('reports CRD warnings, skips and counts exactly as a full validation of the head does', async () => {
    const base = platform({ minimum: {}, greeting: 'hello', first: gadget('first', 2) });
    // The Gadget that raised the pattern warning on the base is gone; the reused ones raise it on the head.
    const head = platform({ minimum: {}, greeting: 'hello' });
    const options = { schemas, skipKinds: ['ConfigMap'] };
    const baseRun = await validateEnvironmentsReusing(base, options);
    const headRun = await validateEnvironmentsReusing(head, options, baseRun.outcomes);
    expect(headRun.reused).toBe(head.reduce((sum, env) => sum + env.releases.reduce((n, release) => n + release.resources.length, 0), 0));
    const full = await validateEnvironments(head, options);
    expect(JSON.stringify(headRun.report)).toBe(JSON.stringify(full));
    expect(full.warnings).toHaveLength(2);
    expect(full.skipped).toHaveLength(2);
  });

  it('reuses what a base listing the same releases in another order validated (a committed base lists them by folder)', async () => {
    const base = platform({ minimum: {}, greeting: 'hello' }).map((env) => ({ ...env, releases: [...env.releases].reverse() }));
    const head = platform({ minimum: {}, greeting: 'hello' });
    const { reusing, everything, logs } = await both(base, head);
    expect(JSON.stringify(reusing)).toBe(JSON.stringify(everything));
    expect(logs).toContain('10 head resource(s) unchanged since the base: validated once, on the base');
  });

  it('reuses nothing of an environment another run validated under another name or Kubernetes version', async () => {
    const base = platform({ minimum: {}, greeting: 'hello' });
    const baseRun = await validateEnvironmentsReusing(base, { schemas });
    const renamed = platform({ minimum: {}, greeting: 'hello' }).map((env) => ({ ...env, environment: `${env.environment}-2` }));
    expect((await validateEnvironmentsReusing(renamed, { schemas }, baseRun.outcomes)).reused).toBe(0);
    const other = fixture.source({ kubernetesVersion: '1.34' });
    expect((await validateEnvironmentsReusing(base, { schemas: other }, baseRun.outcomes)).reused).toBe(0);
  });
});
