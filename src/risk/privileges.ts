import { containersOf, objects, podSpecOf, sideTemplate, strings } from './pod-spec.js';
import type { ResourcePair } from './resource-pairs.js';
import type { Risk } from './types.js';
import { isRecord, valueAt, type JsonObject } from './values.js';

/** One privilege a pod template holds: where (`pod`, `container web`), the field and its value. */
export interface Privilege {
  where: string;
  field: string;
  value: string;
}

/** The namespace whose workloads may not gain privileges without a person looking: the node's own components live there. */
const SYSTEM_NAMESPACE = 'kube-system';
/** AppArmor's pre-1.30 annotation prefix (a container's profile, `unconfined` to switch it off). */
const APPARMOR_ANNOTATION = 'container.apparmor.security.beta.kubernetes.io/';

/**
 * The privileges of a pod template that widen what the pod can do to its node (the ones the Pod
 * Security Standards' baseline level forbids, and root): host namespaces, privileged containers,
 * host paths, added capabilities, root, privilege escalation, and switched-off seccomp or AppArmor.
 */
export function privilegesOf(template: JsonObject | undefined): Privilege[] {
  const spec = podSpecOf(template);
  if (!spec) return [];
  const found: Privilege[] = [];
  for (const field of ['hostNetwork', 'hostPID', 'hostIPC'])
    if (spec[field] === true) found.push({ where: 'pod', field: `spec.${field}`, value: 'true' });
  for (const volume of objects(spec.volumes)) {
    const path = valueAt(volume, 'hostPath.path');
    if (typeof path === 'string') found.push({ where: `volume ${String(volume.name)}`, field: 'hostPath.path', value: path });
  }
  found.push(...securityContextPrivileges('pod', spec.securityContext, 'spec.securityContext'));
  for (const { label, container } of containersOf(spec)) {
    const context = container.securityContext;
    if (valueAt(context, 'privileged') === true) found.push({ where: label, field: 'securityContext.privileged', value: 'true' });
    if (valueAt(context, 'allowPrivilegeEscalation') === true)
      found.push({ where: label, field: 'securityContext.allowPrivilegeEscalation', value: 'true' });
    for (const capability of strings(valueAt(context, 'capabilities.add')))
      found.push({ where: label, field: 'securityContext.capabilities.add', value: normalizeCapability(capability) });
    found.push(...securityContextPrivileges(label, context, 'securityContext'));
  }
  const annotations = valueAt(template, 'metadata.annotations');
  for (const [key, value] of Object.entries(isRecord(annotations) ? annotations : {}))
    if (key.startsWith(APPARMOR_ANNOTATION) && value === 'unconfined')
      found.push({
        where: `container ${key.slice(APPARMOR_ANNOTATION.length)}`,
        field: `metadata.annotations.${key}`,
        value: 'unconfined',
      });
  return found;
}

/** The fields a pod and a container security context share: user, seccomp and AppArmor. */
function securityContextPrivileges(where: string, context: unknown, prefix: string): Privilege[] {
  const found: Privilege[] = [];
  if (valueAt(context, 'runAsUser') === 0) found.push({ where, field: `${prefix}.runAsUser`, value: '0' });
  if (valueAt(context, 'runAsNonRoot') === false) found.push({ where, field: `${prefix}.runAsNonRoot`, value: 'false' });
  for (const profile of ['seccompProfile', 'appArmorProfile'])
    if (valueAt(context, `${profile}.type`) === 'Unconfined')
      found.push({ where, field: `${prefix}.${profile}.type`, value: 'Unconfined' });
  return found;
}

/** `cap_net_admin` and `NET_ADMIN` are the same capability to the container runtime. */
export function normalizeCapability(capability: string): string {
  return capability.toUpperCase().replace(/^CAP_/, '');
}

const identify = (privilege: Privilege) => `${privilege.where}|${privilege.field}|${privilege.value}`;

/**
 * privilege-added: what a pod template holds on head that it did not hold on base (a new
 * workload starts from nothing). High in kube-system, or when the workload runs outside its
 * release's namespace (a chart reaching into another namespace is where reviewers look least).
 */
export function privilegeRisks(pair: ResourcePair, releaseNamespace: string | undefined): Risk[] {
  if (!pair.head || !(pair.changed || !pair.base)) return [];
  const head = sideTemplate(pair, 'head');
  if (!head) return [];
  const before = pair.base ? privilegesOf(sideTemplate(pair, 'base')) : [];
  const held = new Set(before.map(identify));
  const namespace = pair.key.namespace;
  const outside = namespace === SYSTEM_NAMESPACE || (releaseNamespace !== undefined && namespace !== releaseNamespace);
  const why = namespace === SYSTEM_NAMESPACE ? ' in kube-system' : outside ? ` outside its release's namespace ${releaseNamespace}` : '';
  // One risk per container (or pod, or volume) and field: the capabilities a container gains are listed together.
  const gained = new Map<string, Privilege[]>();
  for (const privilege of privilegesOf(head).filter((p) => !held.has(identify(p)))) {
    const key = `${privilege.where}|${privilege.field}`;
    gained.set(key, [...(gained.get(key) ?? []), privilege]);
  }
  return [...gained.values()].map((privileges) => {
    const { where, field } = privileges[0]!;
    const value = privileges.map((p) => p.value).join(', ');
    const old = before.filter((p) => p.where === where && p.field === field).map((p) => p.value);
    return {
      rule: 'privilege-added' as const,
      severity: outside ? ('high' as const) : ('medium' as const),
      environment: pair.environment,
      release: pair.release,
      resource: pair.key,
      field: `${where} ${field}`,
      change: { from: pair.base ? old.join(', ') || '(unset)' : '(new workload)', to: value },
      message: `the pod template gains ${describePrivilege({ where, field, value }, privileges.length)}${why}: the pods get more power over their node`,
      gained: privileges.map(privilegeName),
      fix: "check in the chart's release notes why it is needed; keep it only if the software needs it, else turn it off in the values",
    };
  });
}

/** A privilege as a summary names it, whoever holds it: `hostNetwork`, `NET_ADMIN`, `hostPath /var/run`, `runAsUser: 0`. */
function privilegeName({ field, value }: Privilege): string {
  if (field === 'hostPath.path') return `hostPath ${value}`;
  if (field.endsWith('capabilities.add')) return value;
  if (field.startsWith('metadata.annotations.')) return `appArmor: ${value}`;
  const name = field
    .replace(/\.type$/, '')
    .split('.')
    .pop()!;
  return value === 'true' ? name : `${name}: ${value}`;
}

function describePrivilege({ where, field, value }: Privilege, count: number): string {
  if (field === 'hostPath.path') return `a hostPath volume (${where}) mounting ${value} from the node`;
  if (field.endsWith('capabilities.add')) return `the ${count === 1 ? 'capability' : 'capabilities'} ${value} for ${where}`;
  return `${field.split('.').pop()}: ${value} (${where})`;
}
