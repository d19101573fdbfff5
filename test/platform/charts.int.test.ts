import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { runProgram } from '../../src/process/run-program.js';
import { testToolchain } from '../support/toolchain.js';
import { PLATFORM_ENVIRONMENTS, REPOSITORY_ROOT, buildState, embeddedValues, platformHelmfile } from './support/platform.js';

/** The charts this project writes (helmfile/charts/*), each installed as the release of its name. */
const OWN_RELEASES = ['platform-config', 'platform-gitops'];

interface Resource {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; annotations?: Record<string, string>; labels?: Record<string, string> };
  spec?: any;
}

let toolchain: Awaited<ReturnType<typeof testToolchain>>;
const rendered = new Map<string, Resource[]>();
const releaseTable = new Map<string, Record<string, { namespace: string; wave: number }>>();

beforeAll(async () => {
  toolchain = await testToolchain();
  for (const environment of PLATFORM_ENVIRONMENTS) {
    // The real `helmfile template` (and through it `helm template`) of the local charts with the
    // environment's values; --skip-deps keeps it offline (no `helm repo add/update`).
    const directory = await mkdtemp(join(tmpdir(), 'hydrate-own-charts-'));
    try {
      await platformHelmfile(toolchain).template(environment, directory, {
        selectors: OWN_RELEASES.map((name) => `name=${name}`),
        skipDeps: true,
      });
      const files = (await readdir(directory, { recursive: true, withFileTypes: true })).filter((entry) => entry.isFile());
      const texts = await Promise.all(files.map((entry) => readFile(join(entry.parentPath, entry.name), 'utf8')));
      rendered.set(
        environment,
        texts
          .flatMap((text) => parseAllDocuments(text))
          .map((document) => document.toJS() as Resource | null)
          .filter((resource): resource is Resource => resource !== null),
      );
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
    const state = await buildState(toolchain, environment, { embedValues: true });
    releaseTable.set(
      environment,
      (embeddedValues(state, 'platform-gitops') as { releases: Record<string, { namespace: string; wave: number }> }).releases,
    );
  }
});

afterAll(() => toolchain?.remove());

function find(environment: string, kind: string, name?: string): Resource[] {
  return rendered.get(environment)!.filter((resource) => resource.kind === kind && (name === undefined || resource.metadata.name === name));
}

/** Parses the table the chart writes into an Argo CD expression `index (dict "k" "v" ...) ...`. */
function argoDictionary(expression: string): Record<string, string> {
  const body = /index \(dict ((?:"[^"]*" "[^"]*" ?)*)\)/.exec(expression)?.[1];
  if (body === undefined) throw new Error(`no dict lookup in ${expression}`);
  const strings = [...body.matchAll(/"([^"]*)"/g)].map((match) => match[1]!);
  return Object.fromEntries(Array.from({ length: strings.length / 2 }, (_, index) => [strings[2 * index]!, strings[2 * index + 1]!]));
}

describe.each(PLATFORM_ENVIRONMENTS)('own charts, environment %s', (environment) => {
  it('renders the MetalLB pool of this environment with an L2 advertisement of it', () => {
    const [pool] = find(environment, 'IPAddressPool');
    expect(pool!.metadata.namespace).toBe('metallb-system');
    expect(pool!.spec.addresses).toEqual([environment === 'production' ? '10.0.10.200-10.0.10.229' : '10.0.20.200-10.0.20.209']);
    const [advertisement] = find(environment, 'L2Advertisement');
    expect(advertisement!.spec.ipAddressPools).toEqual([pool!.metadata.name]);
  });

  it("renders both Let's Encrypt issuers solving HTTP-01 through the nginx ingress class", () => {
    const issuers = find(environment, 'ClusterIssuer');
    expect(issuers.map((issuer) => issuer.metadata.name).sort()).toEqual(['letsencrypt-production', 'letsencrypt-staging']);
    for (const issuer of issuers) {
      expect(issuer.spec.acme.server).toBe(
        issuer.metadata.name.endsWith('staging')
          ? 'https://acme-staging-v02.api.letsencrypt.org/directory'
          : 'https://acme-v02.api.letsencrypt.org/directory',
      );
      expect(issuer.spec.acme.solvers).toEqual([{ http01: { ingress: { ingressClassName: 'nginx' } } }]);
    }
  });

  it('turns every release directory of manifests/<environment> into an Application', () => {
    const [set] = find(environment, 'ApplicationSet');
    const git = set!.spec.generators[0].git;
    expect(git.directories).toEqual([
      { path: `manifests/${environment}/*` },
      { path: `manifests/${environment}/platform-gitops`, exclude: true },
    ]);
    expect(set!.spec.goTemplate).toBe(true);
    expect(set!.spec.template.metadata.name).toBe('{{ .path.basename }}');
    expect(set!.spec.template.spec.source.path).toBe('{{ .path.path }}');
    expect(set!.spec.template.spec.syncPolicy.syncOptions).toEqual(
      expect.arrayContaining(['ServerSideApply=true', 'CreateNamespace=true']),
    );
    expect(set!.spec.syncPolicy).toEqual({ preserveResourcesOnDeletion: true, applicationsSync: 'create-update' });
  });

  it('gives each Application the namespace and wave of its release, and rolls the waves out in order', () => {
    const [set] = find(environment, 'ApplicationSet');
    const table = releaseTable.get(environment)!;
    const values = set!.spec.generators[0].git.values;
    expect(argoDictionary(values.namespace)).toEqual(
      Object.fromEntries(Object.entries(table).map(([name, release]) => [name, release.namespace])),
    );
    expect(argoDictionary(values.wave)).toEqual(
      Object.fromEntries(Object.entries(table).map(([name, release]) => [name, String(release.wave)])),
    );
    const waves = [...new Set(Object.values(table).map((release) => release.wave))].sort((a, b) => a - b).map(String);
    expect(set!.spec.strategy.rollingSync.steps).toEqual(
      waves.map((wave) => ({ matchExpressions: [{ key: 'wave', operator: 'In', values: [wave] }] })),
    );
    expect(set!.spec.template.metadata.labels.wave).toBe('{{ .values.wave }}');
    // CRDs and operators (cilium, the Prometheus CRDs, operators) before the resources using them.
    expect(table['prometheus-operator-crds']!.wave).toBeLessThan(table['kube-prometheus-stack']!.wave);
    expect(table['rook-ceph']!.wave).toBeLessThan(table['rook-ceph-cluster']!.wave);
    expect(table['metallb']!.wave).toBeLessThan(table['platform-config']!.wave);
    expect(table['cert-manager']!.wave).toBeLessThan(table['platform-config']!.wave);
  });

  it('lets Argo CD manage its own wiring through a root Application of this release', () => {
    const [root] = find(environment, 'Application', 'platform-gitops');
    expect(root!.spec.source.path).toBe(`manifests/${environment}/platform-gitops`);
    expect(root!.spec.syncPolicy.automated).toEqual({ prune: true, selfHeal: true });
    expect(find(environment, 'AppProject', 'platform')).toHaveLength(1);
  });

  it('protects namespaces and the AppProject from pruning, and lets CRs wait for their CRDs', () => {
    for (const namespace of find(environment, 'Namespace')) {
      expect(namespace.metadata.annotations?.['argocd.argoproj.io/sync-options']).toBe('Prune=false,Delete=false');
    }
    for (const kind of ['IPAddressPool', 'L2Advertisement', 'ClusterIssuer', 'OnePasswordItem']) {
      for (const resource of find(environment, kind)) {
        expect(resource.metadata.annotations?.['argocd.argoproj.io/sync-options'], `${kind}/${resource.metadata.name}`).toBe(
          'SkipDryRunOnMissingResource=true',
        );
      }
    }
  });

  it('creates the Grafana and Nextcloud admin Secrets from 1Password', () => {
    expect(
      find(environment, 'OnePasswordItem').map((item) => `${item.metadata.namespace}/${item.metadata.name} ${item.spec.itemPath}`),
    ).toEqual([
      'monitoring/grafana-admin vaults/homelab/items/grafana-admin',
      'nextcloud/nextcloud-admin vaults/homelab/items/nextcloud-admin',
    ]);
  });
});

describe('own charts reject unusable values', () => {
  async function helmTemplate(chart: string, args: string[]): Promise<{ exitCode: number; stderr: string }> {
    return runProgram(toolchain.helm.path, ['template', chart, join(REPOSITORY_ROOT, 'helmfile', 'charts', chart), ...args], {
      env: toolchain.env,
    });
  }

  it('platform-config without load-balancer addresses names the setting to fix', async () => {
    const result = await helmTemplate('platform-config', ['--set', 'letsencrypt.email=a@example.org']);
    expect(result.exitCode).not.toBe(0);
    expect(result.stderr).toContain(
      'metallb.addresses is empty; set network.loadBalancerAddresses in environments/<environment>/values.yaml',
    );
  });

  it('platform-gitops without a repository URL names the setting to fix', async () => {
    const result = await helmTemplate('platform-gitops', [
      '--set',
      'environment=staging',
      '--set',
      'releases.cilium.namespace=kube-system',
      '--set',
      'releases.cilium.wave=0',
    ]);
    expect(result.exitCode).not.toBe(0);
    expect(result.stderr).toContain('git.repoURL is required; set gitops.repoURL in environments/defaults.yaml');
  });
});
