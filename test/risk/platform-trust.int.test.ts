import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeRisks } from '../../src/risk/analyze.js';
import type { Risk } from '../../src/risk/types.js';
import { environment, release } from '../diff/manifest-builder.js';
import { needsSharedCharts, SHARED_CHARTS } from '../support/shared-charts.js';
import { isolatedHelmHome, renderRelease, type ReleaseSpec, type RenderedRelease } from './chart-render.js';

const METALLB: ReleaseSpec = { name: 'metallb', archive: 'metallb/metallb-0.15.3.tgz', namespace: 'metallb-system', flags: [] };
const KUBE_PROMETHEUS_STACK: ReleaseSpec = {
  name: 'kube-prometheus-stack',
  archive: 'prometheus-community/kube-prometheus-stack-79.5.0.tgz',
  namespace: 'monitoring',
  flags: ['--skip-crds'],
};
/** Capabilities the frr-k8s containers of MetalLB 0.16 add (BGP sessions, routes, the FRR daemons). */
const FRR_CAPABILITIES = ['NET_ADMIN', 'NET_RAW', 'SYS_ADMIN', 'NET_BIND_SERVICE'];

const line = (risk: Risk) => `${risk.severity} ${risk.rule} ${risk.resource.kind}/${risk.resource.name} ${risk.field ?? ''}`;

/**
 * The shape of the MetalLB 0.15.3 -> 0.16.1 bump, rebuilt on the real 0.15.3 render: every image
 * moves to v0.16.1 (the speaker rolls on every node), frr-k8s arrives as a DaemonSet on the host's
 * network (built from the speaker's own template) whose containers add capabilities, the
 * controller may create token and access reviews, and frr-k8s registers a webhook failing closed.
 */
function metallbBump(rendered: RenderedRelease): { objects: Record<string, any>[]; ruleCount: number } {
  const objects: Record<string, any>[] = JSON.parse(JSON.stringify(rendered.objects).replaceAll(':v0.15.3', ':v0.16.1'));
  const find = (kind: string, name: string) => objects.find((o) => o.kind === kind && o.metadata.name === name)!;
  const frr = structuredClone(find('DaemonSet', 'metallb-speaker'));
  frr.metadata.name = 'metallb-frr-k8s';
  for (const container of frr.spec.template.spec.containers) container.securityContext = { capabilities: { add: FRR_CAPABILITIES } };
  const controller = find('ClusterRole', 'metallb:controller');
  const ruleCount = controller.rules.length;
  controller.rules.push(
    { apiGroups: ['authentication.k8s.io'], resources: ['tokenreviews'], verbs: ['create'] },
    { apiGroups: ['authorization.k8s.io'], resources: ['subjectaccessreviews'], verbs: ['create'] },
  );
  const service = { name: 'metallb-frr-k8s-webhook-service', namespace: 'metallb-system', path: '/validate-frrk8s' };
  const webhook = {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'ValidatingWebhookConfiguration',
    metadata: { name: 'metallb-frr-k8s-validating-webhook-configuration' },
    webhooks: [
      {
        name: 'frrconfigurationsvalidationwebhook.metallb.io',
        admissionReviewVersions: ['v1'],
        clientConfig: { service },
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
  return { objects: [...objects, frr, webhook], ruleCount };
}

/** What the trust rules make of real chart upgrades, rendered with the real helm from ../shared/charts. */
describe.skipIf(!SHARED_CHARTS)(needsSharedCharts('trust risks on the real platform charts'), () => {
  let helmHome: Awaited<ReturnType<typeof isolatedHelmHome>>;
  let metallb: RenderedRelease;
  let monitoring: RenderedRelease;

  beforeAll(async () => {
    helmHome = await isolatedHelmHome();
    [metallb, monitoring] = await Promise.all([renderRelease(METALLB, helmHome.env), renderRelease(KUBE_PROMETHEUS_STACK, helmHome.env)]);
  });
  afterAll(() => helmHome?.remove());

  it('the MetalLB 0.15.3 -> 0.16.1 shape: the speaker rollout, the Fail webhook, the RBAC rules and the hostNetwork DaemonSet with capabilities', () => {
    const { objects, ruleCount } = metallbBump(metallb);
    const head = environment('production', [{ release: metallb.release, objects }]);
    const risks = analyzeRisks({ base: [environment('production', [metallb])], head: [head] });
    expect(risks.filter((risk) => risk.rule !== 'privilege-added').map(line)).toEqual([
      'high node-agent-rollout DaemonSet/metallb-speaker spec.template',
      'medium admission-webhook ValidatingWebhookConfiguration/metallb-frr-k8s-validating-webhook-configuration webhooks[frrconfigurationsvalidationwebhook.metallb.io]',
      'medium image-major-bump DaemonSet/metallb-speaker container init:cp-metrics',
      'medium image-major-bump DaemonSet/metallb-speaker container init:cp-reloader',
      'medium image-major-bump DaemonSet/metallb-speaker container speaker',
      'medium image-major-bump Deployment/metallb-controller container controller',
      `medium rbac-widened ClusterRole/metallb:controller rules[${ruleCount}]`,
      `medium rbac-widened ClusterRole/metallb:controller rules[${ruleCount + 1}]`,
    ]);
    expect(risks.filter((risk) => risk.rule === 'rbac-widened').map((risk) => risk.change!.to)).toEqual([
      'create authentication.k8s.io/tokenreviews',
      'create authorization.k8s.io/subjectaccessreviews',
    ]);
    // One risk per container and field, each naming what it gains from nothing.
    const added = `securityContext.capabilities.add (new workload) -> ${FRR_CAPABILITIES.join(', ')}`;
    const privileges = risks.filter((risk) => risk.rule === 'privilege-added');
    expect(
      privileges.map((risk) => `${risk.severity} ${risk.resource.name} ${risk.field} ${risk.change!.from} -> ${risk.change!.to}`),
    ).toEqual([
      `medium metallb-frr-k8s container frr ${added}`,
      `medium metallb-frr-k8s container frr-metrics ${added}`,
      `medium metallb-frr-k8s container reloader ${added}`,
      `medium metallb-frr-k8s container speaker ${added}`,
      'medium metallb-frr-k8s pod spec.hostNetwork (new workload) -> true',
    ]);
  });

  it('a new Grafana image in kube-prometheus-stack is no risk; a namespace labelled restricted refuses the pods that need the host', () => {
    const grafana = structuredClone(monitoring);
    const deployment = grafana.objects.find((o) => o.kind === 'Deployment' && o.metadata.name === 'kube-prometheus-stack-grafana')!;
    const container = deployment.spec.template.spec.containers.find((c: any) => c.name === 'grafana');
    expect(container.image).toBe('docker.io/grafana/grafana:12.2.1');
    container.image = 'docker.io/grafana/grafana:12.3.0';
    const base = environment('production', [monitoring]);
    expect(analyzeRisks({ base: [base], head: [environment('production', [grafana])] })).toEqual([]);

    const namespace = {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'monitoring', labels: { 'pod-security.kubernetes.io/enforce': 'restricted' } },
    };
    const labelled = environment('production', [grafana, { release: release('namespaces'), objects: [namespace] }]);
    const refused = analyzeRisks({ base: [base], head: [labelled] }).filter((risk) => risk.rule === 'pod-security');
    // Grafana's own template meets restricted; node-exporter (host namespaces, hostPath) and the chart's test Pod do not.
    expect(refused.map((risk) => `${risk.severity} ${risk.resource.kind}/${risk.resource.name} ${risk.change!.to}`)).toEqual([
      'high Pod/kube-prometheus-stack-grafana-test refused by restricted',
      'high DaemonSet/kube-prometheus-stack-prometheus-node-exporter refused by restricted',
    ]);
    expect(refused[1]!.message).toContain('hostNamespaces: spec.hostNetwork=true, spec.hostPID=true');
  });
});
