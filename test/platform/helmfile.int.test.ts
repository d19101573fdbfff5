import { access, readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { HelmfileCommand } from '../../src/render/helmfile.js';
import type { HelmfileRelease } from '../../src/model/release.js';
import { testToolchain } from '../support/toolchain.js';
import {
  PLATFORM_ENVIRONMENTS,
  PLATFORM_HELMFILE,
  buildState,
  embeddedValues,
  isLocalChart,
  type PlatformState,
} from './support/platform.js';

/** What the platform must run (issue 6): one release per component. */
const REQUIRED_RELEASES = [
  'cilium',
  'metallb',
  'ingress-nginx',
  'cert-manager',
  'argo-cd',
  'rook-ceph',
  'rook-ceph-cluster',
  'ceph-csi-drivers',
  'kube-prometheus-stack',
  'prometheus-operator-crds',
  'loki',
  'alloy',
  'onepassword-connect',
  'nextcloud',
  'platform-config',
  'platform-gitops',
];

let toolchain: Awaited<ReturnType<typeof testToolchain>>;
const listed = new Map<string, HelmfileRelease[]>();
const states = new Map<string, PlatformState>();
const embedded = new Map<string, PlatformState>();

beforeAll(async () => {
  toolchain = await testToolchain();
  const helmfile = new HelmfileCommand({
    helmfile: toolchain.helmfile.path,
    helm: toolchain.helm.path,
    file: PLATFORM_HELMFILE,
    env: toolchain.env,
  });
  for (const environment of PLATFORM_ENVIRONMENTS) {
    // All offline: `list` and `build` read the state only (no OCI repositories, whose charts
    // `build` would pull), and --embed-values renders every values template.
    listed.set(environment, await helmfile.listReleases(environment));
    states.set(environment, await buildState(toolchain, environment));
    embedded.set(environment, await buildState(toolchain, environment, { embedValues: true }));
  }
});

afterAll(() => toolchain?.remove());

describe.each(PLATFORM_ENVIRONMENTS)('platform helmfile, environment %s', (environment) => {
  it('lists every component of the platform, each enabled', () => {
    const releases = listed.get(environment)!;
    expect(releases.map((release) => release.name).sort()).toEqual([...REQUIRED_RELEASES].sort());
    expect(releases.filter((release) => !release.enabled)).toEqual([]);
  });

  it('pins an exact version of every upstream chart and names its repository', () => {
    const state = states.get(environment)!;
    const repositories = new Set(state.repositories.map((repository) => repository.name));
    for (const release of state.releases.filter((candidate) => !isLocalChart(candidate.chart))) {
      expect(release.version, `release ${release.name}`).toMatch(/^v?\d+\.\d+\.\d+$/);
      expect(repositories, `repository of ${release.name} (${release.chart})`).toContain(release.chart.split('/')[0]);
    }
    for (const repository of state.repositories) expect(repository.url).toMatch(/^https:\/\//);
  });

  it('references only values files that exist', async () => {
    const state = states.get(environment)!;
    const base = dirname(PLATFORM_HELMFILE);
    const files = [
      ...Object.values(state.environments).flatMap((declared) => declared.values ?? []),
      ...state.releases.flatMap((release) => release.values ?? []),
    ].filter((value): value is string => typeof value === 'string');
    expect(files.length).toBeGreaterThan(REQUIRED_RELEASES.length);
    const missing: string[] = [];
    for (const file of files) {
      await access(resolve(base, file)).catch(() => missing.push(file));
    }
    expect(missing).toEqual([]);
  });

  it('orders releases with needs that point at releases of the helmfile', () => {
    const state = states.get(environment)!;
    const ids = new Set(state.releases.map((release) => `${release.namespace}/${release.name}`));
    const waves = new Map(state.releases.map((release) => [`${release.namespace}/${release.name}`, Number(release.labels?.wave)]));
    for (const release of state.releases) {
      for (const need of release.needs ?? []) {
        expect(ids, `${release.name} needs ${need}`).toContain(need);
        // Argo CD rolls out by wave: a dependency must not come in a later wave.
        expect(waves.get(need)!, `${release.name} (wave ${release.labels?.wave}) needs ${need}`).toBeLessThanOrEqual(
          Number(release.labels?.wave),
        );
      }
    }
  });

  it('registers every release with the ApplicationSet under its own namespace and wave', () => {
    const gitops = embeddedValues(embedded.get(environment)!, 'platform-gitops') as {
      environment: string;
      releases: Record<string, { namespace: string; wave: number }>;
    };
    expect(gitops.environment).toBe(environment);
    const expected = Object.fromEntries(
      listed
        .get(environment)!
        .map((release) => [release.name, { namespace: release.namespace, wave: Number(/(?:^|,)wave:(\d+)/.exec(release.labels)?.[1]) }]),
    );
    expect(gitops.releases).toEqual(expected);
  });

  it('renders every values template', () => {
    for (const release of embedded.get(environment)!.releases) {
      for (const values of release.values ?? []) expect(typeof values, `values of ${release.name}`).toBe('object');
    }
  });
});

describe('bootstrap (docs/platform.md)', () => {
  it('takes at most three commands, the first installing a self-contained set of releases', async () => {
    const docs = await readFile(join(dirname(PLATFORM_HELMFILE), '..', 'docs', 'platform.md'), 'utf8');
    const section = docs.slice(docs.indexOf('## Bootstrap'));
    const commands = /```sh\n([\s\S]*?)```/
      .exec(section)![1]!
      .split('\n')
      .filter((line) => line.trim() !== '');
    expect(commands.length).toBeLessThanOrEqual(3);
    const selector = /--selector (\S+)/.exec(commands[0]!)![1]!;
    const [key, value] = selector.split('=') as [string, string];
    for (const environment of PLATFORM_ENVIRONMENTS) {
      const selected = states.get(environment)!.releases.filter((release) => release.labels?.[key] === value);
      expect(selected.map((release) => release.name).sort()).toEqual(['argo-cd', 'cilium', 'platform-gitops']);
      // Everything a bootstrap release needs is installed by the same command.
      const ids = new Set(selected.map((release) => `${release.namespace}/${release.name}`));
      for (const release of selected) for (const need of release.needs ?? []) expect(ids, `${release.name} needs ${need}`).toContain(need);
    }
  });
});

describe('environment differences', () => {
  const ceph = (environment: string) =>
    embeddedValues(embedded.get(environment)!, 'rook-ceph-cluster') as {
      cephClusterSpec: { mon: { count: number } };
      cephECBlockPools: Array<{ spec: { dataPool: Record<string, any>; metadataPool: Record<string, any> } }>;
      cephFileSystems: Array<{ spec: { dataPools: Array<Record<string, any>> }; storageClass: { pool: string } }>;
    };

  it('production keeps every Ceph pool available with one of its three nodes down', () => {
    const nodes = 3;
    const values = ceph('production');
    const pools = [
      values.cephECBlockPools[0]!.spec.dataPool,
      values.cephECBlockPools[0]!.spec.metadataPool,
      ...values.cephFileSystems[0]!.spec.dataPools,
    ];
    for (const pool of pools) {
      expect(pool.failureDomain).toBe('host');
      if (pool.erasureCoded) {
        const { dataChunks, codingChunks } = pool.erasureCoded;
        // Each chunk on its own host: k+m hosts needed, any m of them may fail.
        expect(dataChunks + codingChunks).toBeLessThanOrEqual(nodes);
        expect(codingChunks).toBeGreaterThanOrEqual(1);
      } else {
        expect(pool.replicated.size).toBeGreaterThanOrEqual(2);
        expect(pool.replicated.size).toBeLessThanOrEqual(nodes);
      }
    }
    expect(values.cephECBlockPools[0]!.spec.dataPool.erasureCoded).toEqual({ dataChunks: 2, codingChunks: 1 });
    const fileData = values.cephFileSystems[0]!.spec.dataPools.find((pool) => pool.name === values.cephFileSystems[0]!.storageClass.pool)!;
    expect(fileData.erasureCoded).toEqual({ dataChunks: 2, codingChunks: 1 });
    expect(values.cephClusterSpec.mon.count).toBe(3);
  });

  it('staging fits on one node: single replicas, failure domain osd, one monitor', () => {
    const values = ceph('staging');
    expect(values.cephECBlockPools[0]!.spec.dataPool).toEqual({
      failureDomain: 'osd',
      replicated: { size: 1, requireSafeReplicaSize: false },
    });
    for (const pool of values.cephFileSystems[0]!.spec.dataPools) expect(pool.replicated.size).toBe(1);
    expect(values.cephClusterSpec.mon.count).toBe(1);
  });

  it('uses the production issuer and domain in production, the staging ones in staging', () => {
    const host = (environment: string) =>
      (embeddedValues(embedded.get(environment)!, 'nextcloud') as { nextcloud: { host: string } }).nextcloud.host;
    const issuer = (environment: string) =>
      (embeddedValues(embedded.get(environment)!, 'nextcloud') as { ingress: { annotations: Record<string, string> } }).ingress.annotations[
        'cert-manager.io/cluster-issuer'
      ];
    expect([host('production'), issuer('production')]).toEqual(['cloud.example.org', 'letsencrypt-production']);
    expect([host('staging'), issuer('staging')]).toEqual(['cloud.staging.example.org', 'letsencrypt-staging']);
  });

  it('sizes replicas by environment: redundancy in production only', () => {
    const argo = (environment: string) =>
      embeddedValues(embedded.get(environment)!, 'argo-cd') as { server: { replicas: number }; 'redis-ha': { enabled: boolean } };
    expect([argo('production').server.replicas, argo('production')['redis-ha'].enabled]).toEqual([2, true]);
    expect([argo('staging').server.replicas, argo('staging')['redis-ha'].enabled]).toEqual([1, false]);
  });

  it('keeps environment files to the differences: no environment repeats a default', async () => {
    const root = join(dirname(PLATFORM_HELMFILE), '..', 'environments');
    const defaults = leaves(parse(await readFile(join(root, 'defaults.yaml'), 'utf8')));
    for (const environment of PLATFORM_ENVIRONMENTS) {
      const overrides = leaves(parse(await readFile(join(root, environment, 'values.yaml'), 'utf8')));
      const repeated = [...overrides].filter(([path, value]) => defaults.has(path) && defaults.get(path) === value).map(([path]) => path);
      expect(repeated, `environments/${environment}/values.yaml repeats environments/defaults.yaml`).toEqual([]);
    }
  });
});

/** Every scalar or list of a values tree by its dotted path, as JSON (lists count as one value). */
function leaves(tree: unknown, prefix = '', into = new Map<string, string>()): Map<string, string> {
  if (tree && typeof tree === 'object' && !Array.isArray(tree)) {
    for (const [key, value] of Object.entries(tree)) leaves(value, prefix ? `${prefix}.${key}` : key, into);
  } else {
    into.set(prefix, JSON.stringify(tree));
  }
  return into;
}
