import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import type { EnvironmentManifests } from '../../src/render/index.js';
import { analyzeRisks, celRisks, CelRuleEvaluator, matchResources, type Risk } from '../../src/risk/index.js';
import { environment, release } from '../diff/manifest-builder.js';
import { needsSharedCharts, SHARED_CHARTS } from '../support/shared-charts.js';

interface ReleaseSpec {
  name: string;
  archive: string;
  namespace: string;
  flags: string[];
}

/** Rendered on its own: the MetalLB bump is built on it (its CRDs stay out of the CEL counts below). */
const METALLB: ReleaseSpec = { name: 'metallb', archive: 'metallb/metallb-0.15.3.tgz', namespace: 'metallb-system', flags: [] };

/** Releases rendered as the platform pins them: chart archive, namespace, extra helm flags. */
const RELEASES: ReleaseSpec[] = [
  { name: 'cilium', archive: 'cilium/cilium-1.19.0.tgz', namespace: 'kube-system', flags: [] },
  {
    name: 'prometheus-operator-crds',
    archive: 'prometheus-community/prometheus-operator-crds-24.0.2.tgz',
    namespace: 'monitoring',
    flags: [],
  },
  {
    name: 'kube-prometheus-stack',
    archive: 'prometheus-community/kube-prometheus-stack-79.5.0.tgz',
    namespace: 'monitoring',
    flags: ['--skip-crds'],
  },
  { name: 'rook-ceph', archive: 'rook-release/rook-ceph-v1.20.2.tgz', namespace: 'rook-ceph', flags: [] },
  { name: 'rook-ceph-cluster', archive: 'rook-release/rook-ceph-cluster-v1.20.2.tgz', namespace: 'rook-ceph', flags: [] },
  { name: 'cert-manager', archive: 'jetstack/cert-manager-v1.21.1.tgz', namespace: 'cert-manager', flags: ['--set', 'crds.enabled=true'] },
];

/**
 * The risk rules on the real charts of the platform, rendered with the real helm: the CEL rules
 * of their CRDs hold for the custom resources the charts render, a render compared with itself
 * has no risk, and a new cilium agent image is a critical-path change.
 */
describe.skipIf(!SHARED_CHARTS)(needsSharedCharts('risks on the real platform charts'), () => {
  let helmHome: string;
  let rendered: EnvironmentManifests;
  let metallb: Awaited<ReturnType<typeof renderRelease>>;

  beforeAll(async () => {
    helmHome = await mkdtemp(join(tmpdir(), 'hydrate-helm-'));
    const env = {
      HELM_CACHE_HOME: join(helmHome, 'cache'),
      HELM_CONFIG_HOME: join(helmHome, 'config'),
      HELM_DATA_HOME: join(helmHome, 'data'),
    };
    const releases = await Promise.all(RELEASES.map((spec) => renderRelease(spec, env)));
    rendered = environment('production', releases);
    metallb = await renderRelease(METALLB, env);
  });
  afterAll(() => rm(helmHome, { recursive: true, force: true }));

  it('finds no CEL violation in the custom resources the charts render against their own CRDs, and no risk in an unchanged render', () => {
    expect(rendered.releases.reduce((sum, r) => sum + r.resources.length, 0)).toBeGreaterThan(250);
    expect(analyzeRisks({ base: [], head: [rendered] })).toEqual([]);
    // The rook CRDs' rules run on the CephCluster, CephObjectStore... the charts render.
    const evaluator = new CelRuleEvaluator();
    celRisks(matchResources([], [rendered]), evaluator);
    expect(evaluator.counts.passed).toBeGreaterThanOrEqual(5);
    expect(evaluator.counts).toMatchObject({ failed: 0, unsupported: 0 });
    expect(analyzeRisks({ base: [rendered], head: [rendered] })).toEqual([]);
  });

  it("cel-validation: changing the CephCluster dataDirHostPath breaks rook's transition rule (self == oldSelf)", () => {
    const head = structuredClone(rendered);
    const cluster = head.releases.find((r) => r.release.name === 'rook-ceph-cluster')!.resources.find((r) => r.key.kind === 'CephCluster')!;
    (cluster.object as any).spec.dataDirHostPath = '/var/lib/rook-data';
    cluster.content += '# changed\n';
    const risks = analyzeRisks({ base: [rendered], head: [head] });
    expect(risks.map((risk) => `${risk.severity} ${risk.rule} ${risk.resource.kind} ${risk.field}`)).toEqual([
      'high cel-validation CephCluster spec.dataDirHostPath',
    ]);
    expect(risks[0]!.message).toMatch(
      /^DataDirHostPath is immutable \(x-kubernetes-validations transition rule of cephclusters\.ceph\.rook\.io: `self == oldSelf`\)/,
    );
  });

  it('names a new cilium agent image a critical-path (CNI) change, high', () => {
    const head = structuredClone(rendered);
    const agent = head.releases
      .find((r) => r.release.name === 'cilium')!
      .resources.find((r) => r.key.kind === 'DaemonSet' && r.key.name === 'cilium')!;
    const container = (agent.object as any).spec.template.spec.containers[0];
    container.image = container.image.replace(/:v1\.19\.0/, ':v1.19.1');
    agent.content += '# changed\n';
    const risks = analyzeRisks({ base: [rendered], head: [head] });
    expect(risks.map((risk) => `${risk.severity} ${risk.rule} ${risk.resource.kind}/${risk.resource.name}`)).toEqual([
      'high critical-daemonset DaemonSet/cilium',
    ]);
    expect(risks[0]!.message).toMatch(/kube-system|CNI/);
  });

  it('the MetalLB 0.15.3 -> 0.16.1 shape: a new hostNetwork DaemonSet adding capabilities, RBAC on token and access reviews, a Fail webhook, the speaker rolled', () => {
    const base = environment('production', [metallb]);
    // Every image of the chart moves to v0.16.1: the speaker's pods are replaced on every node.
    const objects: Record<string, any>[] = JSON.parse(JSON.stringify(metallb.objects).replaceAll(':v0.15.3', ':v0.16.1'));
    const find = (kind: string, name: string) => objects.find((o) => o.kind === kind && o.metadata.name === name)!;
    // frr-k8s: a DaemonSet on the host's network, built from the speaker's own template, whose containers add NET_ADMIN and SYS_ADMIN.
    const frr = structuredClone(find('DaemonSet', 'metallb-speaker'));
    frr.metadata.name = 'metallb-frr-k8s';
    for (const container of frr.spec.template.spec.containers)
      container.securityContext = { capabilities: { add: ['NET_ADMIN', 'NET_RAW', 'SYS_ADMIN', 'NET_BIND_SERVICE'] } };
    const ruleCount = find('ClusterRole', 'metallb:controller').rules.length;
    find('ClusterRole', 'metallb:controller').rules.push(
      { apiGroups: ['authentication.k8s.io'], resources: ['tokenreviews'], verbs: ['create'] },
      { apiGroups: ['authorization.k8s.io'], resources: ['subjectaccessreviews'], verbs: ['create'] },
    );
    const frrWebhook = {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'ValidatingWebhookConfiguration',
      metadata: { name: 'metallb-frr-k8s-validating-webhook-configuration' },
      webhooks: [
        {
          name: 'frrconfigurationsvalidationwebhook.metallb.io',
          admissionReviewVersions: ['v1'],
          clientConfig: { service: { name: 'metallb-frr-k8s-webhook-service', namespace: 'metallb-system', path: '/validate-frrk8s' } },
          failurePolicy: 'Fail',
          rules: [
            {
              apiGroups: ['frrk8s.metallb.io'],
              apiVersions: ['v1beta1'],
              operations: ['CREATE', 'UPDATE'],
              resources: ['frrconfigurations'],
            },
          ],
          sideEffects: 'None',
        },
      ],
    };
    const head = environment('production', [{ release: metallb.release, objects: [...objects, frr, frrWebhook] }]);
    const risks = analyzeRisks({ base: [base], head: [head] });
    const line = (risk: Risk) => `${risk.severity} ${risk.rule} ${risk.resource.kind}/${risk.resource.name} ${risk.field ?? ''}`;
    expect(risks.filter((risk) => risk.rule !== 'privilege-added').map(line)).toEqual([
      'high node-agent-rollout DaemonSet/metallb-speaker spec.template',
      'medium admission-webhook ValidatingWebhookConfiguration/metallb-frr-k8s-validating-webhook-configuration webhooks[frrconfigurationsvalidationwebhook.metallb.io].webhooks',
      'medium image-major-bump DaemonSet/metallb-speaker container init:cp-metrics',
      'medium image-major-bump DaemonSet/metallb-speaker container init:cp-reloader',
      'medium image-major-bump DaemonSet/metallb-speaker container speaker',
      'medium image-major-bump Deployment/metallb-controller container controller',
      `medium rbac-widened ClusterRole/metallb:controller rules[${ruleCount}]`,
      `medium rbac-widened ClusterRole/metallb:controller rules[${ruleCount + 1}]`,
    ]);
    const privileges = risks.filter((risk) => risk.rule === 'privilege-added');
    // One risk per container and field, each naming what it gains from nothing.
    const added = 'securityContext.capabilities.add (new workload) -> NET_ADMIN, NET_RAW, SYS_ADMIN, NET_BIND_SERVICE';
    expect(
      privileges.map((risk) => `${risk.severity} ${risk.resource.name} ${risk.field} ${risk.change!.from} -> ${risk.change!.to}`),
    ).toEqual([
      `medium metallb-frr-k8s container frr ${added}`,
      `medium metallb-frr-k8s container frr-metrics ${added}`,
      `medium metallb-frr-k8s container reloader ${added}`,
      `medium metallb-frr-k8s container speaker ${added}`,
      'medium metallb-frr-k8s pod spec.hostNetwork (new workload) -> true',
    ]);
    expect(risks.find((risk) => risk.rule === 'rbac-widened')!.change!.to).toBe('create authentication.k8s.io/tokenreviews');
  });

  it("a new Grafana image in kube-prometheus-stack is none of the trust rules' business; a namespace labelled restricted refuses its pods", () => {
    const head = structuredClone(rendered);
    const grafana = head.releases
      .find((r) => r.release.name === 'kube-prometheus-stack')!
      .resources.find((r) => r.key.kind === 'Deployment' && r.key.name === 'kube-prometheus-stack-grafana')!;
    const container = (grafana.object as any).spec.template.spec.containers.find((c: any) => c.name === 'grafana');
    expect(container.image).toBe('docker.io/grafana/grafana:12.2.1');
    container.image = 'docker.io/grafana/grafana:12.3.0';
    grafana.content += '# changed\n';
    expect(analyzeRisks({ base: [rendered], head: [head] })).toEqual([]);
    const restricted = {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'monitoring', labels: { 'pod-security.kubernetes.io/enforce': 'restricted' } },
    };
    const labelled = environment('production', [
      ...head.releases.map((r) => ({ release: r.release, objects: r.resources.map((x) => x.object) })),
      { release: release('namespaces'), objects: [restricted] },
    ]);
    const refused = analyzeRisks({ base: [rendered], head: [labelled] }).filter((risk) => risk.rule === 'pod-security');
    // Grafana's own template meets restricted; node-exporter (host namespaces, hostPath) and the chart's test Pod do not.
    expect(refused.map((risk) => `${risk.severity} ${risk.resource.kind}/${risk.resource.name} ${risk.change!.to}`)).toEqual([
      'high Pod/kube-prometheus-stack-grafana-test refused by restricted',
      'high DaemonSet/kube-prometheus-stack-prometheus-node-exporter refused by restricted',
    ]);
    expect(refused[1]!.message).toContain('hostNamespaces: spec.hostNetwork=true, spec.hostPID=true');
  });
});

/** One release rendered with the real helm, namespaced as helmfile would namespace it. */
async function renderRelease(spec: ReleaseSpec, env: Record<string, string>) {
  const { stdout } = await execa(
    inject('helmPath'),
    ['template', spec.name, join(SHARED_CHARTS!, spec.archive), '--namespace', spec.namespace, ...spec.flags],
    { env },
  );
  const objects = parseAllDocuments(stdout)
    .map((document) => document.toJS() as Record<string, any> | null)
    .filter((object): object is Record<string, any> => object !== null && typeof object.kind === 'string')
    .map((object) =>
      object.metadata.namespace || isClusterScoped(object.kind)
        ? object
        : { ...object, metadata: { ...object.metadata, namespace: spec.namespace } },
    );
  return { release: release(spec.name, spec.archive, spec.archive.replace(/.*-(v?[\d.]+)\.tgz$/, '$1'), spec.namespace), objects };
}

function isClusterScoped(kind: string): boolean {
  return [
    'CustomResourceDefinition',
    'ClusterRole',
    'ClusterRoleBinding',
    'Namespace',
    'StorageClass',
    'CSIDriver',
    'PriorityClass',
    'ValidatingWebhookConfiguration',
    'MutatingWebhookConfiguration',
    'PersistentVolume',
    'IngressClass',
    'APIService',
  ].includes(kind);
}
