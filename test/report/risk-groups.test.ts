import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ENTRIES_SHOWN_PER_GROUP, groupRisksByRule, ruleDocumentUrl, summarizeEntry } from '../../src/report/risk-groups.js';
import { riskMarkdownLines, riskTextLines } from '../../src/report/risks.js';
import { compareRisks } from '../../src/risk/analyze.js';
import { RISK_RULES, type Risk } from '../../src/risk/types.js';
import { changed, named, risksOf, workload } from '../risk/risk-builder.js';

const RBAC = 'rbac.authorization.k8s.io';

function clusterRole(name: string, rules: Array<{ verbs: string[]; resources: string[]; apiGroups?: string[] }>) {
  return {
    apiVersion: `${RBAC}/v1`,
    kind: 'ClusterRole',
    metadata: { name },
    rules: rules.map((rule) => ({ apiGroups: [''], ...rule })),
  };
}

/** A new ClusterRole of 5 rules, one of them writing webhook configurations, one reading Secrets. */
const controllerRole = clusterRole('edge:controller', [
  { verbs: ['get', 'list', 'watch'], resources: ['pods', 'services'] },
  { verbs: ['get', 'list', 'watch'], resources: ['secrets'] },
  { verbs: ['create', 'update'], resources: ['validatingwebhookconfigurations'], apiGroups: ['admissionregistration.k8s.io'] },
  { verbs: ['patch'], resources: ['nodes'] },
  { verbs: ['create'], resources: ['events'] },
]);

/** Risks of one environment copied into a second one, as a chart bump rolled out everywhere gives them. */
function inTwoEnvironments(risks: readonly Risk[]): Risk[] {
  return [...risks, ...risks.map((risk) => ({ ...risk, environment: 'staging' }))].sort(compareRisks);
}

/** A medium risk of `rule` on a resource of release `app` (a fixture; the rules are tested in test/risk). */
function risk(rule: Risk['rule'], name: string, overrides: Partial<Risk> = {}): Risk {
  return {
    rule,
    severity: 'medium',
    environment: 'production',
    release: 'app',
    resource: { group: 'apps', kind: 'Deployment', namespace: 'apps', name },
    field: 'spec.template',
    message: `${name} changes`,
    fix: 'look at it',
    ...overrides,
  };
}

describe('a widened ClusterRole', () => {
  const risks = named(risksOf([], [controllerRole]), 'rbac-widened');

  it('keeps one risk per rule, each with every permission gained and those that matter', () => {
    // Reading every Secret of the cluster is high: that rule comes first.
    expect(risks.map((r) => `${r.severity} ${r.field}`)).toEqual([
      'high rules[1]',
      'medium rules[0]',
      'medium rules[2]',
      'medium rules[3]',
      'medium rules[4]',
    ]);
    const secrets = ['get secrets', 'list secrets', 'watch secrets'];
    expect(risks[0]).toMatchObject({ gained: secrets, notable: secrets });
    expect(risks[2]!.notable).toEqual([
      'create admissionregistration.k8s.io/validatingwebhookconfigurations',
      'update admissionregistration.k8s.io/validatingwebhookconfigurations',
    ]);
    expect(risks[3]!.notable).toEqual(['patch nodes']);
    expect(risks[1]!.notable).toEqual([]);
  });

  it('is one entry counting what it gains, naming what matters, the full list folded', () => {
    const groups = groupRisksByRule(risks);
    expect(groups.map((group) => [group.severity, group.rule, group.entries.length])).toEqual([['high', 'rbac-widened', 1]]);
    const summary = summarizeEntry(groups[0]!.entries[0]!);
    expect(summary.message).toMatch(
      /^the ClusterRole gains 13 permissions in 5 rules; rules\[1\]: the ClusterRole gains 3 permissions \(it reads every Secret/,
    );
    // The verbs of one resource read together, as the rules write them.
    expect(summary.named).toEqual({
      lead: 'among them',
      items: ['get/list/watch secrets', 'create/update admissionregistration.k8s.io/validatingwebhookconfigurations', 'patch nodes'],
      more: 0,
    });
    expect(summary.list!.title).toBe('all 13 permissions');
    expect(summary.list!.lines.map((line) => `${line.label}: ${line.items.join(', ')}`)).toEqual([
      'rules[1]: get/list/watch secrets',
      'rules[0]: get/list/watch pods, get/list/watch services',
      'rules[2]: create/update admissionregistration.k8s.io/validatingwebhookconfigurations',
      'rules[3]: patch nodes',
      'rules[4]: create events',
    ]);
  });

  it('names a wildcard and the escalating verbs', () => {
    const role = clusterRole('edge:admin', [
      { verbs: ['*'], resources: ['configmaps'] },
      { verbs: ['bind', 'escalate'], resources: ['clusterroles'], apiGroups: [RBAC] },
      { verbs: ['impersonate'], resources: ['serviceaccounts'] },
      { verbs: ['get'], resources: ['configmaps'] },
    ]);
    const [entry] = groupRisksByRule(named(risksOf([], [role]), 'rbac-widened'))[0]!.entries;
    expect(summarizeEntry(entry!).named!.items).toEqual([
      '* configmaps',
      `bind/escalate ${RBAC}/clusterroles`,
      'impersonate serviceaccounts',
    ]);
  });
});

describe('a workload gaining privileges', () => {
  it('is one line naming the privileges gained, each container in the list', () => {
    const base = workload('DaemonSet', 'agent');
    const head = changed(base, (o) => {
      o.spec.template.spec.hostNetwork = true;
      o.spec.template.spec.containers = ['agent', 'reloader'].map((name) => ({
        name,
        image: 'registry.example.com/agent:1.0.0',
        securityContext: { capabilities: { add: ['NET_ADMIN', 'SYS_ADMIN'] } },
      }));
    });
    const risks = named(risksOf([base], [head]), 'privilege-added');
    expect(risks).toHaveLength(3);
    const groups = groupRisksByRule(risks);
    expect(groups[0]!.entries).toHaveLength(1);
    const summary = summarizeEntry(groups[0]!.entries[0]!);
    expect(summary.message).toBe('the pod template gains 3 privileges in 3 fields');
    expect(summary.named!.items).toEqual(['NET_ADMIN', 'SYS_ADMIN', 'hostNetwork']);
    expect(summary.list!.lines.map((line) => line.label)).toEqual([
      'container agent securityContext.capabilities.add',
      'container reloader securityContext.capabilities.add',
      'pod spec.hostNetwork',
    ]);
  });
});

describe('groups', () => {
  it('come high first, one per rule, counting the risks of every environment, what to do said once', () => {
    const risks = inTwoEnvironments([
      risk('image-major-bump', 'web'),
      risk('node-agent-rollout', 'agent', { severity: 'high', fix: 'watch the rollout' }),
      risk('image-major-bump', 'api', { field: 'container api' }),
      risk('image-major-bump', 'api', { field: 'container sidecar' }),
    ]);
    const groups = groupRisksByRule(risks);
    expect(groups.map((group) => `${group.severity} ${group.rule} ${group.count} ${group.fix}`)).toEqual([
      'high node-agent-rollout 2 watch the rollout',
      'medium image-major-bump 6 look at it',
    ]);
    // One entry per resource, in both environments.
    expect(groups[1]!.entries.map((entry) => `${entry.resources[0]!.name} ${entry.environments.join(',')} ${entry.count}`)).toEqual([
      'api production,staging 4',
      'web production,staging 2',
    ]);
    const api = summarizeEntry(groups[1]!.entries[0]!);
    expect(api).toMatchObject({ fields: ['container api'], named: { lead: 'also', items: ['container sidecar'] } });
  });

  it('fold a release with more than 3 resources below high, and show 3 entries before folding the rest', () => {
    const many = (release: string, count: number) =>
      Array.from({ length: count }, (_, index) => risk('exposure', `${release}-${index}`, { release }));
    const risks = [...many('big', 5), ...many('a', 1), ...many('b', 1), ...many('c', 1), ...many('d', 1)].sort(compareRisks);
    const [group] = groupRisksByRule(risks);
    expect(group!.entries.map((entry) => `${entry.release} ${entry.parts.length}`)).toEqual(['a 0', 'b 0', 'big 5', 'c 0', 'd 0']);
    expect(summarizeEntry(group!.entries[2]!).message).toBe('5 resources of the release');

    const section = riskMarkdownLines(risks);
    expect(section.filter((line) => line.startsWith('  - **'))).toHaveLength(ENTRIES_SHOWN_PER_GROUP);
    const folded = section.filter((line) => line.startsWith('  - and '));
    expect(folded).toHaveLength(1);
    // The item starts with text: markdown (the code spans) is rendered inside an inline `<details>`, not in an HTML block.
    expect(folded[0]).toMatch(
      /^ {2}- and 2 more: <details><summary>2 more entries of exposure<\/summary>\*\*production\*\* · c · `Deployment.apps apps\/c-0`/,
    );
    expect(section.join('\n')).toContain('**production** · big: 5 resources of the release: `Deployment.apps apps/big-0`');
  });

  it("count what a folded release's Roles gain each, and name what matters", () => {
    const roles = ['a', 'b', 'c', 'd'].map((name) =>
      risk('rbac-widened', name, {
        resource: { group: RBAC, kind: 'Role', namespace: 'apps', name },
        field: 'rules[0]',
        gained: ['get pods', 'list pods'],
        notable: name === 'd' ? ['get secrets'] : [],
      }),
    );
    const [entry] = groupRisksByRule(roles)[0]!.entries;
    expect(summarizeEntry(entry!)).toMatchObject({
      message: '4 resources of the release; they gain 8 permissions',
      named: { lead: 'among them', items: ['get secrets'] },
    });
  });

  it('never fold high entries: each high risk is named', () => {
    const risks = Array.from({ length: 6 }, (_, index) => risk('immutable-field', `web-${index}`, { severity: 'high' }));
    const section = riskMarkdownLines(risks).join('\n');
    for (let index = 0; index < 6; index++) expect(section).toContain(`\`Deployment.apps apps/web-${index}\``);
    expect(section).not.toContain('<details>');
  });

  it('say what to do once, and an entry whose risks say otherwise its own', () => {
    const risks = [risk('exposure', 'a'), risk('exposure', 'b'), risk('exposure', 'c', { fix: 'close the port' })];
    const section = riskMarkdownLines(risks);
    expect(section.filter((line) => line.includes('To do: look at it'))).toHaveLength(1);
    expect(section.find((line) => line.includes('apps/c'))).toMatch(/ To do: close the port\.$/);
    const text = riskTextLines(risks);
    expect(text.filter((line) => line.includes('to do: look at it'))).toEqual(['    to do: look at it']);
    expect(text).toContain('      to do: close the port');
  });

  it('link each rule to its anchor in docs/risks.md, and every rule has one', () => {
    const section = riskMarkdownLines([risk('exposure', 'a')]).join('\n');
    expect(section).toContain(`[\`exposure\`](${ruleDocumentUrl('exposure')})`);
    expect(ruleDocumentUrl('exposure')).toBe('https://github.com/helmfile-hydrate/helmfile-hydrate/blob/v1/docs/risks.md#exposure');
    const document = readFileSync(new URL('../../docs/risks.md', import.meta.url), 'utf8');
    for (const rule of RISK_RULES) expect(document.split(`<a id="${rule}"></a>`), rule).toHaveLength(2);
  });

  it('are the same bytes for the same risks', () => {
    const risks = inTwoEnvironments([...named(risksOf([], [controllerRole]), 'rbac-widened'), risk('exposure', 'a')]);
    expect(riskMarkdownLines(risks).join('\n')).toBe(riskMarkdownLines(structuredClone(risks)).join('\n'));
    expect(riskTextLines(risks).join('\n')).toBe(riskTextLines(structuredClone(risks)).join('\n'));
  });
});
