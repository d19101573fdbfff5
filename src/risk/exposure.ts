import { objects, strings } from './pod-spec.js';
import type { ResourcePair } from './resource-pairs.js';
import type { Risk } from './types.js';
import { canonicalJson, quoteValue, valueAt, type JsonObject } from './values.js';

/** Service types reachable from outside the cluster (ServiceSpec `type` docs). */
const EXTERNAL_SERVICE_TYPES = new Set(['LoadBalancer', 'NodePort']);
const GATEWAY_GROUP = 'gateway.networking.k8s.io';
/** Gateway API routes that carry `spec.hostnames`. */
const ROUTE_KINDS = new Set(['HTTPRoute', 'GRPCRoute', 'TLSRoute']);
/** What a route or Ingress rule without a host answers: every host name pointing at the controller. */
const ANY_HOST = '(any host)';

type Change = { field: string; from: string; to: string; what: string };

/** exposure: a Service, Ingress, Gateway or route that becomes reachable from more places, or a NetworkPolicy removed or widened. */
export function exposureRisks(pair: ResourcePair): Risk[] {
  const base = pair.masked.base;
  const head = pair.masked.head;
  if (pair.base && pair.head && !pair.changed) return [];
  const changes = exposureChanges(pair.key.group, pair.key.kind, base, head);
  return changes.map((change) => ({
    rule: 'exposure',
    severity: 'medium',
    environment: pair.environment,
    release: pair.release,
    resource: pair.key,
    field: change.field,
    change: { from: change.from, to: change.to },
    message: change.what,
    fix: 'check that it is meant to be reachable from there, and that it requires authentication',
  }));
}

function exposureChanges(group: string, kind: string, base: JsonObject | undefined, head: JsonObject | undefined): Change[] {
  if (group === '' && kind === 'Service' && head) return serviceChanges(base, head);
  if (group === 'networking.k8s.io' && kind === 'Ingress' && head)
    return hostChanges(base, head, 'spec.rules', (object) =>
      objects(valueAt(object, 'spec.rules')).map((rule) => String(rule.host ?? ANY_HOST)),
    );
  if (group === GATEWAY_GROUP && ROUTE_KINDS.has(kind) && head)
    return hostChanges(base, head, 'spec.hostnames', (object) => {
      const hostnames = strings(valueAt(object, 'spec.hostnames'));
      return hostnames.length > 0 ? hostnames : [ANY_HOST];
    });
  if (group === GATEWAY_GROUP && kind === 'Gateway' && head)
    return hostChanges(base, head, 'spec.listeners', (object) =>
      objects(valueAt(object, 'spec.listeners')).map((listener) => `${String(listener.hostname ?? ANY_HOST)}:${String(listener.port)}`),
    );
  if (group === 'networking.k8s.io' && kind === 'NetworkPolicy' && base) return networkPolicyChanges(base, head);
  return [];
}

function serviceChanges(base: JsonObject | undefined, head: JsonObject): Change[] {
  const changes: Change[] = [];
  const type = (object: JsonObject | undefined) => String(valueAt(object, 'spec.type') ?? 'ClusterIP');
  if (EXTERNAL_SERVICE_TYPES.has(type(head)) && type(head) !== type(base))
    changes.push({
      field: 'spec.type',
      from: base ? type(base) : '(new Service)',
      to: type(head),
      what: `the Service becomes reachable from outside the cluster (${type(head)})`,
    });
  const before = new Set(strings(valueAt(base, 'spec.externalIPs')));
  const gained = strings(valueAt(head, 'spec.externalIPs')).filter((ip) => !before.has(ip));
  if (gained.length > 0)
    changes.push({
      field: 'spec.externalIPs',
      from: [...before].join(', ') || '(none)',
      to: gained.join(', '),
      what: `the Service answers on ${gained.join(', ')} on every node that routes those addresses`,
    });
  return changes;
}

function hostChanges(base: JsonObject | undefined, head: JsonObject, field: string, hostsOf: (object: JsonObject) => string[]): Change[] {
  const before = new Set(base ? hostsOf(base) : []);
  const gained = [...new Set(hostsOf(head))].filter((host) => !before.has(host)).sort();
  if (gained.length === 0) return [];
  return [
    {
      field,
      from: [...before].sort().join(', ') || (base ? '(none)' : '(new)'),
      to: gained.join(', '),
      what: `requests for ${gained.join(', ')} reach the backends`,
    },
  ];
}

/** A policy removed opens what it closed; a policy that gains rules, peers or ports allows more. */
function networkPolicyChanges(base: JsonObject, head: JsonObject | undefined): Change[] {
  if (!head)
    return [
      { field: 'spec', from: 'policy in place', to: '(removed)', what: 'the NetworkPolicy is removed: the traffic it denied is allowed' },
    ];
  const changes: Change[] = [];
  for (const direction of ['ingress', 'egress']) {
    const before = new Set(objects(valueAt(base, `spec.${direction}`)).map(canonicalJson));
    const gained = objects(valueAt(head, `spec.${direction}`))
      .map(canonicalJson)
      .filter((rule) => !before.has(rule));
    if (gained.length > 0)
      changes.push({
        field: `spec.${direction}`,
        from: `${before.size} rule${before.size === 1 ? '' : 's'}`,
        to: quoteValue(`+ ${gained.join(', ')}`),
        what: `the NetworkPolicy allows more ${direction} traffic`,
      });
  }
  const types = (object: JsonObject) => new Set(strings(valueAt(object, 'spec.policyTypes')));
  const lost = [...types(base)].filter((type) => !types(head).has(type));
  if (lost.length > 0)
    changes.push({
      field: 'spec.policyTypes',
      from: [...types(base)].join(', '),
      to: [...types(head)].join(', ') || '(none)',
      what: `the NetworkPolicy no longer restricts ${lost.join(', ')} traffic`,
    });
  if (canonicalJson(valueAt(base, 'spec.podSelector') ?? {}) !== canonicalJson(valueAt(head, 'spec.podSelector') ?? {}))
    changes.push({
      field: 'spec.podSelector',
      from: canonicalJson(valueAt(base, 'spec.podSelector') ?? {}),
      to: canonicalJson(valueAt(head, 'spec.podSelector') ?? {}),
      what: 'the NetworkPolicy applies to other pods: those it no longer selects lose its protection',
    });
  return changes;
}
