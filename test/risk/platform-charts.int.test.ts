import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EnvironmentManifests } from '../../src/model/manifests.js';
import { analyzeRisks } from '../../src/risk/analyze.js';
import { celRisks, CelRuleEvaluator } from '../../src/risk/cel-rules.js';
import { matchResources } from '../../src/risk/resource-pairs.js';
import { environment } from '../diff/manifest-builder.js';
import { needsSharedCharts, SHARED_CHARTS } from '../support/shared-charts.js';
import { isolatedHelmHome, renderRelease, type ReleaseSpec } from './chart-render.js';

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
  let helmHome: Awaited<ReturnType<typeof isolatedHelmHome>>;
  let rendered: EnvironmentManifests;

  beforeAll(async () => {
    helmHome = await isolatedHelmHome();
    rendered = environment('production', await Promise.all(RELEASES.map((spec) => renderRelease(spec, helmHome.env))));
  });
  afterAll(() => helmHome?.remove());

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
});
