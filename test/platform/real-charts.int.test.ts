import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EnvironmentManifests, RenderedResource } from '../../src/model/manifests.js';
import { OWNERSHIP_FILE } from '../../src/render/ownership.js';
import { createSchemaSource } from '../../src/validate/schemas/schema-source.js';
import { validateEnvironments, type ValidationReport } from '../../src/validate/validate.js';
import { KUBERNETES_OPENAPI_DOCUMENTS } from '../support/kubernetes-openapi-server.js';
import { testToolchain } from '../support/toolchain.js';
import { fidelityProblems } from '../support/helm-fidelity.js';
import { startChartMirror } from '../../src/render/chart-mirror.js';
import { findIgnoredValues } from '../../src/values/release-values.js';
import { formatIgnoredValuesText, type IgnoredValue } from '../../src/values/ignored-value.js';
import { PLATFORM_ENVIRONMENTS, REPOSITORY_ROOT, platformRenderSettings, renderPlatform } from './support/platform.js';
import { needsSharedCharts, SHARED_CHARTS } from '../support/shared-charts.js';

/**
 * The whole platform on the exact upstream charts it pins (../shared/charts, served through the
 * chart mirror): the real helmfile and helm, offline.
 */
describe.skipIf(!SHARED_CHARTS)(needsSharedCharts('the platform on its upstream charts'), () => {
  let toolchain: Awaited<ReturnType<typeof testToolchain>>;
  let environments: EnvironmentManifests[];
  let report: ValidationReport;
  let schemaCache: string;
  let ignoredValues: IgnoredValue[];

  beforeAll(async () => {
    toolchain = await testToolchain();
    // Every helmfile process has a helm home of its own, so the two run side by side.
    [environments, ignoredValues] = await Promise.all([renderPlatform(toolchain), findIgnoredValues(platformRenderSettings(), toolchain)]);
    schemaCache = await mkdtemp(join(tmpdir(), 'platform-schemas-'));
    const schemas = createSchemaSource({
      kubernetesVersion: '1.35',
      kubernetesSchemas: `${join(KUBERNETES_OPENAPI_DOCUMENTS, '{minor}', 'api', 'openapi-spec', 'v3')}/`,
      cacheDirectory: schemaCache,
    });
    report = await validateEnvironments(environments, { schemas });
  }, 300_000);

  afterAll(async () => {
    await toolchain?.remove();
    if (schemaCache) await rm(schemaCache, { recursive: true, force: true });
  });

  function resources(environment: string, release?: string): RenderedResource[] {
    const found = environments.find((candidate) => candidate.environment === environment);
    if (!found) throw new Error(`environment ${environment} was not rendered`);
    return found.releases.filter((entry) => release === undefined || entry.release.name === release).flatMap((entry) => entry.resources);
  }

  function find(environment: string, release: string, kind: string, name?: string): Array<Record<string, any>> {
    return resources(environment, release)
      .filter((resource) => resource.key.kind === kind && (name === undefined || resource.key.name === name))
      .map((resource) => resource.object as Record<string, any>);
  }

  function one(environment: string, release: string, kind: string, name: string): Record<string, any> {
    const [found, ...more] = find(environment, release, kind, name);
    if (!found || more.length > 0)
      throw new Error(`expected one ${kind} ${name} in ${environment}/${release}, found ${more.length + (found ? 1 : 0)}`);
    return found;
  }

  describe('the platform against Kubernetes 1.35', () => {
    it('renders every release of both environments', () => {
      expect(environments.map((environment) => environment.environment)).toEqual([...PLATFORM_ENVIRONMENTS]);
      for (const environment of environments) expect(environment.releases).toHaveLength(16);
    });

    it('sets no value a chart ignores', () => {
      expect(ignoredValues.length, formatIgnoredValuesText(ignoredValues)).toBe(0);
    });

    it('validates every resource with no findings and nothing skipped', () => {
      expect(report.findings).toEqual([]);
      expect(report.skipped).toEqual([]);
      expect(report.resourceCount).toBe(
        environments.reduce((sum, environment) => sum + environment.releases.reduce((n, release) => n + release.resources.length, 0), 0),
      );
    });
  });

  describe.each(PLATFORM_ENVIRONMENTS)("the platform's systems, environment %s", (environment) => {
    const production = environment === 'production';

    it('Cilium: the agent DaemonSet replaces kube-proxy, Hubble certificates come from certgen (no CA in git)', () => {
      const agent = one(environment, 'cilium', 'DaemonSet', 'cilium');
      expect(agent.metadata.namespace).toBe('kube-system');
      const config = one(environment, 'cilium', 'ConfigMap', 'cilium-config');
      expect(config.data['kube-proxy-replacement']).toBe('true');
      expect(find(environment, 'cilium', 'Secret').map((secret) => secret.metadata.name)).toEqual([]);
      expect(one(environment, 'cilium', 'CronJob', 'hubble-generate-certs').spec.schedule).toBeTruthy();
    });

    it('MetalLB: the controller and speaker, and the address pool advertised over L2', () => {
      expect(find(environment, 'metallb', 'DaemonSet', 'metallb-speaker')).toHaveLength(1);
      expect(find(environment, 'metallb', 'Deployment', 'metallb-controller')).toHaveLength(1);
      const pool = one(environment, 'platform-config', 'IPAddressPool', 'default');
      expect(pool.spec.addresses).toEqual([production ? '10.0.10.200-10.0.10.229' : '10.0.20.200-10.0.20.209']);
      expect(one(environment, 'platform-config', 'L2Advertisement', 'default').spec.ipAddressPools).toEqual(['default']);
    });

    it('ingress-nginx: a LoadBalancer Service on the address MetalLB keeps for it', () => {
      const service = one(environment, 'ingress-nginx', 'Service', 'ingress-nginx-controller');
      expect(service.spec.type).toBe('LoadBalancer');
      expect(service.metadata.annotations['metallb.io/loadBalancerIPs']).toBe(production ? '10.0.10.200' : '10.0.20.200');
      expect(one(environment, 'ingress-nginx', 'IngressClass', 'nginx').spec.controller).toBe('k8s.io/ingress-nginx');
    });

    it("cert-manager with its CRDs, and the Let's Encrypt ClusterIssuers", () => {
      expect(
        find(environment, 'cert-manager', 'Deployment')
          .map((deployment) => deployment.metadata.name)
          .sort(),
      ).toEqual(['cert-manager', 'cert-manager-cainjector', 'cert-manager-webhook']);
      expect(find(environment, 'cert-manager', 'CustomResourceDefinition', 'clusterissuers.cert-manager.io')).toHaveLength(1);
      expect(
        find(environment, 'platform-config', 'ClusterIssuer')
          .map((issuer) => issuer.metadata.name)
          .sort(),
      ).toEqual(['letsencrypt-production', 'letsencrypt-staging']);
    });

    it('Argo CD, and the ApplicationSet over manifests/<environment>/*', () => {
      expect(find(environment, 'argo-cd', 'Deployment', 'argo-cd-argocd-server')).toHaveLength(1);
      expect(find(environment, 'argo-cd', 'CustomResourceDefinition', 'applicationsets.argoproj.io')).toHaveLength(1);
      const [set] = find(environment, 'platform-gitops', 'ApplicationSet');
      expect(set!.spec.generators[0].git.directories[0]).toEqual({ path: `manifests/${environment}/*` });
    });

    it('Rook-Ceph: the operator, the cluster, the erasure-coded pool and the RBD and CephFS StorageClasses', () => {
      expect(find(environment, 'rook-ceph', 'Deployment', 'rook-ceph-operator')).toHaveLength(1);
      const cluster = one(environment, 'rook-ceph-cluster', 'CephCluster', 'rook-ceph');
      expect(cluster.spec.mon.count).toBe(production ? 3 : 1);
      const pool = one(environment, 'rook-ceph-cluster', 'CephBlockPool', 'ceph-block');
      if (production) expect(pool.spec.erasureCoded).toEqual({ dataChunks: 2, codingChunks: 1 });
      const block = one(environment, 'rook-ceph-cluster', 'StorageClass', 'ceph-block');
      expect(block.provisioner).toBe('rook-ceph.rbd.csi.ceph.com');
      expect(block.parameters.dataPool).toBe('ceph-block');
      expect(block.metadata.annotations['storageclass.kubernetes.io/is-default-class']).toBe('true');
      expect(one(environment, 'rook-ceph-cluster', 'StorageClass', 'ceph-filesystem').provisioner).toBe('rook-ceph.cephfs.csi.ceph.com');
      expect(
        find(environment, 'ceph-csi-drivers', 'Driver')
          .map((driver) => driver.metadata.name)
          .sort(),
      ).toEqual(['rook-ceph.cephfs.csi.ceph.com', 'rook-ceph.rbd.csi.ceph.com']);
    });

    it('kube-prometheus-stack: Prometheus and Alertmanager on Ceph, Grafana with its admin Secret from 1Password', () => {
      const [prometheus] = find(environment, 'kube-prometheus-stack', 'Prometheus');
      expect(prometheus!.spec.storage.volumeClaimTemplate.spec.storageClassName).toBe('ceph-block');
      expect(find(environment, 'kube-prometheus-stack', 'Alertmanager')).toHaveLength(1);
      const grafana = one(environment, 'kube-prometheus-stack', 'Deployment', 'kube-prometheus-stack-grafana');
      const env = grafana.spec.template.spec.containers.find((container: { name: string }) => container.name === 'grafana').env;
      expect(env.find((variable: { name: string }) => variable.name === 'GF_SECURITY_ADMIN_PASSWORD').valueFrom.secretKeyRef.name).toBe(
        'grafana-admin',
      );
      expect(find(environment, 'platform-config', 'OnePasswordItem', 'grafana-admin')).toHaveLength(1);
    });

    it("Loki, and Alloy shipping every node's logs to it", () => {
      const loki = one(environment, 'loki', 'StatefulSet', 'loki');
      expect(loki.spec.volumeClaimTemplates[0].spec.storageClassName).toBe('ceph-block');
      expect(find(environment, 'alloy', 'DaemonSet', 'alloy')).toHaveLength(1);
      const config = Object.values(one(environment, 'alloy', 'ConfigMap', 'alloy').data).join('\n');
      expect(config).toContain('http://loki.monitoring.svc');
    });

    it('1Password Connect with its operator', () => {
      expect(
        find(environment, 'onepassword-connect', 'Deployment')
          .map((deployment) => deployment.metadata.name)
          .sort(),
      ).toEqual(['onepassword-connect', 'onepassword-connect-operator']);
      expect(find(environment, 'onepassword-connect', 'CustomResourceDefinition', 'onepassworditems.onepassword.com')).toHaveLength(1);
    });

    it("Nextcloud on Ceph storage, behind the ingress with a Let's Encrypt certificate", () => {
      expect(find(environment, 'nextcloud', 'Deployment', 'nextcloud')).toHaveLength(1);
      const claims = find(environment, 'nextcloud', 'PersistentVolumeClaim');
      expect(claims.length).toBeGreaterThan(0);
      for (const claim of claims) expect(claim.spec.storageClassName).toBe('ceph-block');
      const ingress = one(environment, 'nextcloud', 'Ingress', 'nextcloud');
      expect(ingress.spec.ingressClassName).toBe('nginx');
      expect(ingress.metadata.annotations['cert-manager.io/cluster-issuer']).toBe(
        production ? 'letsencrypt-production' : 'letsencrypt-staging',
      );
    });
  });

  describe('committed manifests/', () => {
    it('are current: a new render equals the committed files byte for byte (refresh with npm run platform:render)', async () => {
      const root = join(REPOSITORY_ROOT, 'manifests');
      const committed = new Map<string, string>();
      for (const entry of await readdir(root, { recursive: true, withFileTypes: true })) {
        // The ownership record (which files the renderer wrote) is not a resource.
        if (!entry.isFile() || entry.name === OWNERSHIP_FILE) continue;
        const path = join(entry.parentPath, entry.name);
        committed.set(relative(root, path).split(sep).join('/'), await readFile(path, 'utf8'));
      }
      const rendered = new Map(
        environments.flatMap((environment) =>
          environment.releases.flatMap((release) => release.resources.map((resource) => [resource.path, resource.content] as const)),
        ),
      );
      expect(
        [...committed.keys()].filter((path) => !rendered.has(path)),
        'committed files the render no longer produces',
      ).toEqual([]);
      expect(
        [...rendered.keys()].filter((path) => !committed.has(path)),
        'rendered files that are not committed',
      ).toEqual([]);
      const stale = [...rendered].filter(([path, content]) => committed.get(path) !== content).map(([path]) => path);
      expect(stale, 'committed files that differ from the render').toEqual([]);
    });
  });

  describe("helm's own documents on the real charts", () => {
    it('every committed document, read as YAML 1.1, equals what helm rendered (plus the namespace), one file per document', async () => {
      const settings = platformRenderSettings();
      const mirror = await startChartMirror(settings.chartMirror, toolchain.helm.path);
      try {
        const mirrored = { ...toolchain, helm: { path: mirror.helm } };
        for (const environment of PLATFORM_ENVIRONMENTS) {
          expect(
            await fidelityProblems(mirrored, settings.helmfile, join(REPOSITORY_ROOT, 'manifests'), environment, REPOSITORY_ROOT),
            environment,
          ).toEqual([]);
        }
      } finally {
        await mirror.close();
      }
    }, 180_000);

    it("keeps Cilium's octal file modes as helm wrote them, read as octal", async () => {
      const path = resources('production', 'cilium').find(
        (resource) => resource.key.kind === 'DaemonSet' && resource.key.name === 'cilium',
      )!.path;
      const text = await readFile(join(REPOSITORY_ROOT, 'manifests', path), 'utf8');
      expect(text).toMatch(/^ +defaultMode: 0400$/m);
      const volumes = one('production', 'cilium', 'DaemonSet', 'cilium').spec.template.spec.volumes as Array<Record<string, any>>;
      expect(
        volumes
          .flatMap((volume) => [volume.secret?.defaultMode, volume.projected?.defaultMode, volume.configMap?.defaultMode])
          .filter((mode) => mode !== undefined),
      ).toContain(0o400);
    });
  });
});
