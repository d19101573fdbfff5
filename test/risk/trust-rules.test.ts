import { describe, expect, it } from 'vitest';
import { analyzeRisks } from '../../src/risk/analyze.js';
import type { Risk } from '../../src/risk/types.js';
import { environment, release } from '../diff/manifest-builder.js';
import { changed, named, risksOf, workload } from './risk-builder.js';

const summary = (risks: readonly Risk[]) =>
  risks.map((risk) => `${risk.severity} ${risk.rule} ${risk.resource.kind}/${risk.resource.name} ${risk.field ?? ''}`);
const container = (object: any) => object.spec.template.spec.containers[0];

function namespace(name: string, level?: string): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name, ...(level ? { labels: { 'pod-security.kubernetes.io/enforce': level } } : {}) },
  };
}

function role(
  kind: 'Role' | 'ClusterRole',
  name: string,
  rules: unknown[],
  metadata: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind,
    metadata: { name, ...(kind === 'Role' ? { namespace: 'apps' } : {}), ...metadata },
    rules,
  };
}

function binding(name: string, roleName: string, subjects: string[]): Record<string, unknown> {
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRoleBinding',
    metadata: { name },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: roleName },
    subjects: subjects.map((account) => ({ kind: 'ServiceAccount', namespace: 'apps', name: account })),
  };
}

function webhooks(name: string, hooks: Record<string, unknown>[], kind = 'ValidatingWebhookConfiguration'): Record<string, unknown> {
  return { apiVersion: 'admissionregistration.k8s.io/v1', kind, metadata: { name }, webhooks: hooks };
}

function webhook(name: string, resources: string[], extra: Record<string, unknown> = {}, apiGroups = ['']): Record<string, unknown> {
  return {
    name,
    clientConfig: { service: { namespace: 'apps', name: 'webhook' } },
    rules: [{ operations: ['CREATE', 'UPDATE'], apiGroups, apiVersions: ['v1'], resources }],
    sideEffects: 'None',
    admissionReviewVersions: ['v1'],
    ...extra,
  };
}

function service(name: string, spec: Record<string, unknown> = {}): Record<string, unknown> {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: 'apps' }, spec: { ports: [{ port: 80 }], ...spec } };
}

describe('the trust rules on one fixture upgrade', () => {
  it('find exactly one case of each rule, and nothing in the non-cases (a capability dropped, a verb removed, an Ignore webhook on its own CRDs)', () => {
    const web = changed(
      workload('Deployment', 'web'),
      (o) => (container(o).securityContext = { capabilities: { add: ['NET_ADMIN', 'SYS_TIME'] } }),
    );
    const backup = changed(workload('CronJob', 'backup', {}, 'batch'), (o) => {
      o.spec = { schedule: '0 3 * * *', jobTemplate: { spec: { template: o.spec.template } } };
    });
    const speaker = changed(workload('DaemonSet', 'speaker'), (o) => (o.spec.template.spec.hostNetwork = true));
    const reader = role('ClusterRole', 'app-reader', [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get'] }]);
    const appRole = role('Role', 'app', [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list', 'watch'] }]);
    const policy = {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'web', namespace: 'apps' },
      spec: { podSelector: {} },
    };
    const base = [
      namespace('apps'),
      namespace('secure', 'restricted'),
      namespace('legacy', 'restricted'),
      web,
      backup,
      speaker,
      reader,
      appRole,
      service('web'),
    ];
    const head = [
      namespace('apps'),
      namespace('secure', 'restricted'),
      namespace('legacy', 'baseline'),
      changed(web, (o) => (container(o).securityContext.capabilities.add = ['NET_ADMIN'])),
      changed(backup, (o) => {
        o.spec.jobTemplate.spec.template.spec.volumes = [{ name: 'dumps', hostPath: { path: '/var/backups' } }];
      }),
      changed(speaker, (o) => (container(o).image = 'registry.example.com/app:1.4.3')),
      changed(reader, (o) => (o.rules[0].verbs = ['get', 'list'])),
      changed(appRole, (o) => (o.rules[0].verbs = ['get', 'list'])),
      changed(service('web'), (o) => (o.spec.type = 'LoadBalancer')),
      workload('Deployment', 'api', {}, 'apps', 'secure'),
      webhooks('app-policy', [webhook('pods.app.example.com', ['pods'])]),
      webhooks('widgets', [webhook('widgets.example.com', ['widgets'], { failurePolicy: 'Ignore' }, ['example.com'])]),
      policy,
    ];
    expect(summary(risksOf(base, head))).toEqual([
      'high admission-webhook ValidatingWebhookConfiguration/app-policy webhooks[pods.app.example.com]',
      'high node-agent-rollout DaemonSet/speaker spec.template',
      'high pod-security Deployment/api spec.template.spec',
      'medium pod-security Namespace/legacy metadata.labels.pod-security.kubernetes.io/enforce',
      'medium exposure Service/web spec.type',
      'medium privilege-added CronJob/backup volume dumps hostPath.path',
      'medium rbac-widened ClusterRole/app-reader rules[0]',
    ]);
  });
});

describe('privilege-added', () => {
  const base = workload('Deployment', 'web');
  it('names the container and the field of each privilege a template gains, medium in its release namespace', () => {
    const head = changed(base, (o) => {
      o.spec.template.spec.hostPID = true;
      container(o).securityContext = {
        privileged: true,
        runAsUser: 0,
        allowPrivilegeEscalation: true,
        capabilities: { add: ['cap_sys_admin'] },
      };
      o.spec.template.spec.securityContext = {
        runAsNonRoot: false,
        seccompProfile: { type: 'Unconfined' },
        appArmorProfile: { type: 'Unconfined' },
      };
    });
    const risks = named(risksOf([base], [head]), 'privilege-added');
    expect(risks.map((risk) => `${risk.severity} ${risk.field} ${risk.change!.from} -> ${risk.change!.to}`)).toEqual([
      'medium container main securityContext.allowPrivilegeEscalation (unset) -> true',
      'medium container main securityContext.capabilities.add (unset) -> SYS_ADMIN',
      'medium container main securityContext.privileged (unset) -> true',
      'medium container main securityContext.runAsUser (unset) -> 0',
      'medium pod spec.hostPID (unset) -> true',
      'medium pod spec.securityContext.appArmorProfile.type (unset) -> Unconfined',
      'medium pod spec.securityContext.runAsNonRoot (unset) -> false',
      'medium pod spec.securityContext.seccompProfile.type (unset) -> Unconfined',
    ]);
    expect(named(risksOf([head], [base]), 'privilege-added')).toEqual([]);
  });

  it('is high in kube-system and outside the release namespace; a new workload counts from nothing', () => {
    const privileged = (namespace: string) =>
      changed(workload('DaemonSet', 'agent', {}, 'apps', namespace), (o) => (o.spec.template.spec.hostNetwork = true));
    // A new environment (none on the base) is a new cluster's first deploy: the whole render is the review.
    const newEnvironment = [environment('staging', [{ release: release('app'), objects: [privileged('kube-system')] }])];
    expect(analyzeRisks({ base: [], head: newEnvironment })).toEqual([]);
    const other = workload('Deployment', 'other');
    for (const namespace of ['kube-system', 'metallb-system'])
      expect(named(risksOf([other], [other, privileged(namespace)]), 'privilege-added'), namespace).toMatchObject([
        { severity: 'high', field: 'pod spec.hostNetwork', change: { from: '(new workload)', to: 'true' } },
      ]);
    expect(named(risksOf([other], [other, privileged('apps')]), 'privilege-added')).toMatchObject([{ severity: 'medium' }]);
  });

  it('sees an unconfined AppArmor annotation', () => {
    const head = changed(
      base,
      (o) => (o.spec.template.metadata.annotations = { 'container.apparmor.security.beta.kubernetes.io/main': 'unconfined' }),
    );
    expect(named(risksOf([base], [head]), 'privilege-added')).toMatchObject([
      { field: 'container main metadata.annotations.container.apparmor.security.beta.kubernetes.io/main' },
    ]);
  });
});

describe('rbac-widened', () => {
  const rule = (verbs: string[], resources: string[], apiGroups = ['']) => ({ apiGroups, resources, verbs });
  it('lists what a rule gains; a wildcard, escalate/bind/impersonate and reading every Secret are high', () => {
    const base = role('ClusterRole', 'operator', [rule(['get'], ['pods'])]);
    const cases: [unknown, string, string][] = [
      [rule(['get', 'list'], ['pods']), 'medium', 'list pods'],
      [rule(['*'], ['pods']), 'high', '* pods'],
      [rule(['get'], ['*'], ['apps']), 'high', 'get apps/*'],
      [rule(['bind'], ['clusterroles'], ['rbac.authorization.k8s.io']), 'high', 'bind rbac.authorization.k8s.io/clusterroles'],
      [rule(['impersonate'], ['serviceaccounts']), 'high', 'impersonate serviceaccounts'],
      [rule(['list'], ['secrets']), 'high', 'list secrets'],
    ];
    for (const [gained, severity, to] of cases)
      expect(named(risksOf([base], [changed(base, (o) => (o.rules = [gained]))]), 'rbac-widened'), to).toMatchObject([
        { severity, field: 'rules[0]', change: { from: 'not granted', to } },
      ]);
    // A Role reading Secrets of its namespace only, and a Secret by name, are not cluster-wide reads.
    const namespaced = role('Role', 'app', [rule(['get'], ['configmaps'])]);
    expect(
      named(risksOf([namespaced], [changed(namespaced, (o) => o.rules.push(rule(['get'], ['secrets'])))]), 'rbac-widened'),
    ).toMatchObject([{ severity: 'medium', field: 'rules[1]' }]);
    // A verb removed, or a rule covered by a base wildcard, gains nothing.
    expect(named(risksOf([base], [changed(base, (o) => (o.rules = []))]), 'rbac-widened')).toEqual([]);
    const wildcard = role('ClusterRole', 'operator', [rule(['*'], ['*'])]);
    expect(named(risksOf([wildcard], [changed(wildcard, (o) => o.rules.push(rule(['get'], ['pods'])))]), 'rbac-widened')).toEqual([]);
  });

  it('follows aggregation: an aggregating ClusterRole gains the rules of a new ClusterRole its selector matches', () => {
    const aggregator = {
      ...role('ClusterRole', 'monitoring-view', []),
      aggregationRule: { clusterRoleSelectors: [{ matchLabels: { 'example.com/aggregate-to-monitoring': 'true' } }] },
    };
    const part = role('ClusterRole', 'widgets-view', [rule(['get'], ['widgets'], ['example.com'])], {
      labels: { 'example.com/aggregate-to-monitoring': 'true', 'rbac.authorization.k8s.io/aggregate-to-view': 'true' },
    });
    const risks = named(risksOf([aggregator], [aggregator, part]), 'rbac-widened');
    expect(risks.map((risk) => `${risk.resource.name} ${risk.field} ${risk.change!.to}`)).toEqual([
      'monitoring-view aggregationRule: widgets-view rules[0] get example.com/widgets',
      'widgets-view rules[0] get example.com/widgets',
    ]);
    expect(risks[1]!.message).toContain('aggregates into view');
  });

  it('lists bindings that gain subjects or a role; a binding to cluster-admin is high', () => {
    const base = binding('operator', 'operator', ['operator']);
    expect(
      named(
        risksOf([base], [changed(base, (o) => o.subjects.push({ kind: 'ServiceAccount', namespace: 'apps', name: 'web' }))]),
        'rbac-widened',
      ),
    ).toMatchObject([{ severity: 'medium', field: 'subjects', change: { from: 'not bound', to: 'ServiceAccount apps/web' } }]);
    const other = service('web');
    expect(named(risksOf([other], [other, binding('admin', 'cluster-admin', ['installer'])]), 'rbac-widened')).toMatchObject([
      {
        severity: 'high',
        field: 'roleRef',
        change: { from: '(new binding)', to: 'ClusterRole cluster-admin for ServiceAccount apps/installer' },
      },
    ]);
    expect(named(risksOf([base], [changed(base, (o) => (o.subjects = []))]), 'rbac-widened')).toEqual([]);
  });
});

describe('admission-webhook', () => {
  const existing = service('web');
  const added = (hook: Record<string, unknown>, kind?: string) =>
    named(risksOf([existing], [existing, webhooks('policy', [hook], kind)]), 'admission-webhook');
  it('is high for a new webhook failing closed (the v1 default) on pods, secrets, leases or * in every namespace', () => {
    for (const resource of ['pods', 'secrets', 'leases', 'deployments', '*', 'pods/exec'])
      expect(added(webhook('hook', [resource])), resource).toMatchObject([{ severity: 'high', field: 'webhooks[hook]' }]);
    expect(added(webhook('hook', ['pods'], { failurePolicy: 'Fail' }), 'MutatingWebhookConfiguration')).toMatchObject([
      { severity: 'high' },
    ]);
  });

  it('is medium when a selector leaves kube-system out, for other resources, or when it ignores failures on built-in ones', () => {
    const notSystem = {
      namespaceSelector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: ['kube-system'] }] },
    };
    expect(added(webhook('hook', ['pods'], notSystem))).toMatchObject([{ severity: 'medium' }]);
    expect(added(webhook('hook', ['pods'], { objectSelector: { matchLabels: { 'example.com/validate': 'true' } } }))).toMatchObject([
      { severity: 'medium' },
    ]);
    expect(added(webhook('hook', ['ingresses'], {}, ['networking.k8s.io']))).toMatchObject([{ severity: 'medium' }]);
    expect(added(webhook('hook', ['pods'], { failurePolicy: 'Ignore' }))).toMatchObject([{ severity: 'medium' }]);
    expect(added(webhook('hook', ['widgets'], {}, ['example.com']))).toMatchObject([{ severity: 'medium' }]);
    expect(added(webhook('hook', ['widgets'], { failurePolicy: 'Ignore' }, ['example.com']))).toEqual([]);
  });

  it('lists what a webhook widens: rules, failure policy, timeout; a narrowing says nothing', () => {
    const base = webhooks('policy', [webhook('hook', ['configmaps'], { failurePolicy: 'Ignore', timeoutSeconds: 5 })]);
    const head = changed(base, (o) => {
      o.webhooks[0].rules[0].resources.push('secrets');
      o.webhooks[0].failurePolicy = 'Fail';
      o.webhooks[0].timeoutSeconds = 30;
    });
    expect(
      named(risksOf([base], [head]), 'admission-webhook').map(
        (risk) => `${risk.severity} ${risk.field} ${risk.change!.from} -> ${risk.change!.to}`,
      ),
    ).toEqual([
      'high webhooks[hook].failurePolicy Ignore -> Fail',
      'high webhooks[hook].rules CREATE configmaps, UPDATE configmaps -> + CREATE secrets, UPDATE secrets',
      'high webhooks[hook].timeoutSeconds 5 -> 30',
    ]);
    expect(named(risksOf([head], [base]), 'admission-webhook')).toEqual([]);
  });
});

describe('node-agent-rollout', () => {
  it('is high for a hostNetwork DaemonSet whose pods are replaced, not for one whose labels alone change', () => {
    const agent = changed(workload('DaemonSet', 'kube-vip', {}, 'apps', 'network'), (o) => (o.spec.template.spec.hostNetwork = true));
    const rolled = changed(agent, (o) => (container(o).args = ['--arp']));
    expect(named(risksOf([agent], [rolled]), 'node-agent-rollout')).toMatchObject([
      { severity: 'high', message: expect.stringContaining('hostNetwork') },
    ]);
    expect(named(risksOf([agent], [changed(agent, (o) => (o.metadata.labels = { x: 'y' }))]), 'node-agent-rollout')).toEqual([]);
    const plain = workload('DaemonSet', 'log-shipper', {}, 'apps', 'logging');
    expect(named(risksOf([plain], [changed(plain, (o) => (container(o).args = ['-v']))]), 'node-agent-rollout')).toEqual([]);
  });
});

describe('exposure', () => {
  const fields = (risks: Risk[]) =>
    risks.map((risk) => `${risk.severity} ${risk.resource.kind} ${risk.field} ${risk.change!.from} -> ${risk.change!.to}`);
  it('a Service that becomes LoadBalancer or NodePort, or gains externalIPs', () => {
    const base = service('web');
    expect(
      fields(
        named(
          risksOf([base], [changed(base, (o) => Object.assign(o.spec, { type: 'NodePort', externalIPs: ['192.0.2.10'] }))]),
          'exposure',
        ),
      ),
    ).toEqual(['medium Service spec.externalIPs (none) -> 192.0.2.10', 'medium Service spec.type ClusterIP -> NodePort']);
    const balancer = service('lb', { type: 'LoadBalancer' });
    expect(named(risksOf([balancer], [changed(balancer, (o) => (o.spec.ports[0].port = 81))]), 'exposure')).toEqual([]);
  });

  it('an Ingress, Gateway or HTTPRoute that gains a host', () => {
    const ingress = {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: { name: 'web', namespace: 'apps' },
      spec: { rules: [{ host: 'a.example.com' }] },
    };
    const route = {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'HTTPRoute',
      metadata: { name: 'web', namespace: 'apps' },
      spec: { hostnames: ['a.example.com'] },
    };
    const gateway = {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'Gateway',
      metadata: { name: 'edge', namespace: 'apps' },
      spec: { listeners: [{ name: 'https', port: 443, hostname: 'a.example.com' }] },
    };
    const head = [
      changed(ingress, (o) => o.spec.rules.push({ host: 'b.example.com' })),
      changed(route, (o) => (o.spec.hostnames = [])),
      changed(gateway, (o) => o.spec.listeners.push({ name: 'http', port: 80 })),
    ];
    expect(fields(named(risksOf([ingress, route, gateway], head), 'exposure'))).toEqual([
      'medium Gateway spec.listeners a.example.com:443 -> (any host):80',
      'medium HTTPRoute spec.hostnames a.example.com -> (any host)',
      'medium Ingress spec.rules a.example.com -> b.example.com',
    ]);
  });

  it('a NetworkPolicy removed or widened; a new one restricts and says nothing', () => {
    const policy = {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'db', namespace: 'apps' },
      spec: {
        podSelector: { matchLabels: { app: 'db' } },
        policyTypes: ['Ingress'],
        ingress: [{ from: [{ podSelector: { matchLabels: { app: 'web' } } }] }],
      },
    };
    const other = service('web');
    expect(fields(named(risksOf([other, policy], [other]), 'exposure'))).toEqual([
      'medium NetworkPolicy spec policy in place -> (removed)',
    ]);
    expect(fields(named(risksOf([policy], [changed(policy, (o) => o.spec.ingress.push({}))]), 'exposure'))).toEqual([
      'medium NetworkPolicy spec.ingress 1 rule -> + {}',
    ]);
    expect(named(risksOf([other], [other, policy]), 'exposure')).toEqual([]);
  });
});

describe('pod-security on the rendered namespaces', () => {
  const secure = (level?: string) => namespace('secure', level);
  const api = workload('Deployment', 'api', {}, 'apps', 'secure');
  it('is high for a template the namespace level refuses, new or changed, and says nothing for one already refused', () => {
    const risks = named(risksOf([secure('restricted')], [secure('restricted'), api]), 'pod-security');
    expect(risks).toMatchObject([{ severity: 'high', change: { from: '(new workload)', to: 'refused by restricted' } }]);
    expect(risks[0]!.message).toContain('allowPrivilegeEscalation: container main securityContext.allowPrivilegeEscalation=(unset)');
    expect(
      named(
        risksOf(
          [secure('restricted'), api],
          [secure('restricted'), changed(api, (o) => (container(o).image = 'registry.example.com/app:1.4.3'))],
        ),
        'pod-security',
      ),
    ).toEqual([]);
    // A template refused for less than before says nothing; one refused for more is high again.
    const hostNetwork = changed(api, (o) => (o.spec.template.spec.hostNetwork = true));
    expect(named(risksOf([secure('restricted'), hostNetwork], [secure('restricted'), api]), 'pod-security')).toEqual([]);
    expect(named(risksOf([secure('restricted'), api], [secure('restricted'), hostNetwork]), 'pod-security')).toMatchObject([
      { severity: 'high', change: { from: 'refused by restricted, for fewer reasons', to: 'refused by restricted' } },
    ]);
    // A label that restricts a namespace refuses the pods already in it.
    expect(
      named(risksOf([secure(), api], [secure('baseline'), changed(api, (o) => (o.spec.template.spec.hostNetwork = true))]), 'pod-security'),
    ).toMatchObject([{ severity: 'high', change: { from: 'admitted by privileged', to: 'refused by baseline' } }]);
  });

  it('uses the cluster default for a namespace without the label', () => {
    const side = (objects: Record<string, unknown>[]) => [environment('production', [{ release: release('app'), objects }])];
    const hostNetwork = changed(api, (o) => (o.spec.template.spec.hostNetwork = true));
    expect(analyzeRisks({ base: side([api]), head: side([hostNetwork]), podSecurityDefault: 'baseline' }).map((risk) => risk.rule)).toEqual(
      ['privilege-added', 'pod-security'],
    );
    expect(named(analyzeRisks({ base: side([api]), head: side([hostNetwork]) }), 'pod-security')).toEqual([]);
  });

  it('is medium for a namespace whose enforce level is lowered or removed, nothing when raised', () => {
    expect(named(risksOf([secure('restricted')], [secure()]), 'pod-security')).toMatchObject([
      { severity: 'medium', change: { from: 'restricted', to: '(unset: the cluster default, privileged)' } },
    ]);
    expect(named(risksOf([secure('baseline')], [secure('restricted')]), 'pod-security')).toEqual([]);
  });
});

describe('pod-security policy versions', () => {
  it('checks a namespace pinned to an older policy version with the checks of that version', () => {
    const pinned = (version: string) => ({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: {
        name: 'secure',
        labels: { 'pod-security.kubernetes.io/enforce': 'baseline', 'pod-security.kubernetes.io/enforce-version': version },
      },
    });
    const base = workload('Deployment', 'api', {}, 'apps', 'secure');
    const head = changed(base, (o) => (container(o).livenessProbe = { httpGet: { host: '10.0.0.1', port: 8080 } }));
    // hostProbesAndHostLifecycle is a 1.34 check: v1.33 admits the pods, latest (and v1.34) refuse them.
    expect(named(risksOf([pinned('v1.33'), base], [pinned('v1.33'), head]), 'pod-security')).toEqual([]);
    expect(named(risksOf([pinned('v1.34'), base], [pinned('v1.34'), head]), 'pod-security')).toMatchObject([
      { severity: 'high', field: 'spec.template.spec', message: expect.stringContaining('"baseline" of v1.34') },
    ]);
    expect(named(risksOf([pinned('latest'), base], [pinned('latest'), head]), 'pod-security')[0]!.message).toContain(
      'hostProbesAndHostLifecycle: container main livenessProbe.httpGet.host=10.0.0.1',
    );
  });
});
