/**
 * The checks of the Pod Security Standards (kubernetes.io/docs/concepts/security/pod-security-standards),
 * following k8s.io/pod-security-admission's policy checks (staging/src/k8s.io/pod-security-admission/policy/
 * check_*.go) at their newest version, as of Kubernetes 1.35. Each check reads a pod template and
 * says what in it the level forbids. Own code: no upstream code is copied.
 */
import { containersOf, objects, strings } from './pod-spec.js';
import { normalizeCapability } from './privileges.js';
import { isRecord, valueAt, type JsonObject } from './values.js';

export type PodSecurityLevel = 'privileged' | 'baseline' | 'restricted';
export const POD_SECURITY_LEVELS: readonly PodSecurityLevel[] = ['privileged', 'baseline', 'restricted'];

export interface PodSecurityCheck {
  /** The check's upstream ID (policy.CheckID). */
  id: string;
  /** The lowest level that enforces it (restricted enforces baseline's checks too). */
  level: Exclude<PodSecurityLevel, 'privileged'>;
  /** What the template holds that the level forbids, one entry each (`container web securityContext.privileged=true`); empty when it passes. */
  forbidden(template: JsonObject): string[];
}

/** check_capabilities_baseline.go: the capabilities container runtimes grant by default, which baseline allows adding. */
const BASELINE_CAPABILITIES = new Set([
  'AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD', 'NET_BIND_SERVICE', 'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT',
]); // prettier-ignore
/** check_seLinuxOptions.go: the container types SELinux allows (container_engine_t since 1.31). */
const SELINUX_TYPES = new Set(['', 'container_t', 'container_init_t', 'container_kvm_t', 'container_engine_t']);
/** check_sysctls.go: the namespaced "safe" sysctls, newest list (tcp_keepalive_* and tcp_fin_timeout since 1.29, tcp_rmem/tcp_wmem since 1.32). */
const SAFE_SYSCTLS = new Set([
  'kernel.shm_rmid_forced', 'net.ipv4.ip_local_port_range', 'net.ipv4.ip_unprivileged_port_start', 'net.ipv4.tcp_syncookies',
  'net.ipv4.ping_group_range', 'net.ipv4.ip_local_reserved_ports', 'net.ipv4.tcp_keepalive_time', 'net.ipv4.tcp_fin_timeout',
  'net.ipv4.tcp_keepalive_intvl', 'net.ipv4.tcp_keepalive_probes', 'net.ipv4.tcp_rmem', 'net.ipv4.tcp_wmem',
]); // prettier-ignore
/** check_restrictedVolumes.go: the volume sources restricted allows (`name` is not a source). */
const RESTRICTED_VOLUME_SOURCES = new Set([
  'name', 'configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret',
]); // prettier-ignore
const APPARMOR_ANNOTATION = 'container.apparmor.security.beta.kubernetes.io/';
/** Seccomp and AppArmor profile types that keep a confinement (RuntimeDefault or a profile on the node). */
const CONFINED_PROFILES = new Set(['RuntimeDefault', 'Localhost']);

const spec = (template: JsonObject): JsonObject => (isRecord(template.spec) ? template.spec : {});
/** Containers with the value of a security-context field, each labelled for the message. */
const containerValues = (template: JsonObject, path: string) =>
  containersOf(spec(template)).map(({ label, container }) => ({ label, value: valueAt(container, `securityContext.${path}`) }));
/** Restricted's checks of privilege escalation, seccomp and capabilities do not apply to Windows pods (`spec.os.name`, since 1.25). */
const isWindows = (template: JsonObject) => valueAt(template, 'spec.os.name') === 'windows';

export const POD_SECURITY_CHECKS: readonly PodSecurityCheck[] = [
  {
    id: 'hostProcess',
    level: 'baseline',
    forbidden: (template) => [
      ...(valueAt(template, 'spec.securityContext.windowsOptions.hostProcess') === true
        ? ['spec.securityContext.windowsOptions.hostProcess=true']
        : []),
      ...containerValues(template, 'windowsOptions.hostProcess')
        .filter(({ value }) => value === true)
        .map(({ label }) => `${label} securityContext.windowsOptions.hostProcess=true`),
    ],
  },
  {
    id: 'hostNamespaces',
    level: 'baseline',
    forbidden: (template) =>
      ['hostNetwork', 'hostPID', 'hostIPC'].filter((field) => spec(template)[field] === true).map((field) => `spec.${field}=true`),
  },
  {
    id: 'privileged',
    level: 'baseline',
    forbidden: (template) =>
      containerValues(template, 'privileged')
        .filter(({ value }) => value === true)
        .map(({ label }) => `${label} securityContext.privileged=true`),
  },
  {
    id: 'capabilities_baseline',
    level: 'baseline',
    forbidden: (template) =>
      containerValues(template, 'capabilities.add').flatMap(({ label, value }) =>
        strings(value)
          .filter((capability) => !BASELINE_CAPABILITIES.has(normalizeCapability(capability)))
          .map((capability) => `${label} securityContext.capabilities.add=${capability}`),
      ),
  },
  {
    id: 'hostPathVolumes',
    level: 'baseline',
    forbidden: (template) =>
      objects(spec(template).volumes)
        .filter((volume) => volume.hostPath !== undefined)
        .map((volume) => `volume ${String(volume.name)} hostPath ${String(valueAt(volume, 'hostPath.path'))}`),
  },
  {
    id: 'hostPorts',
    level: 'baseline',
    forbidden: (template) =>
      containersOf(spec(template)).flatMap(({ label, container }) =>
        objects(container.ports)
          .filter((port) => port.hostPort !== undefined && port.hostPort !== 0)
          .map((port) => `${label} hostPort ${String(port.hostPort)}`),
      ),
  },
  { id: 'appArmorProfile', level: 'baseline', forbidden: appArmorForbidden },
  { id: 'seLinuxOptions', level: 'baseline', forbidden: seLinuxForbidden },
  {
    id: 'procMount',
    level: 'baseline',
    forbidden: (template) =>
      containerValues(template, 'procMount')
        .filter(({ value }) => value !== undefined && value !== 'Default')
        .map(({ label, value }) => `${label} securityContext.procMount=${String(value)}`),
  },
  {
    id: 'seccompProfile_baseline',
    level: 'baseline',
    forbidden: (template) => [
      ...(valueAt(template, 'spec.securityContext.seccompProfile.type') === 'Unconfined'
        ? ['spec.securityContext.seccompProfile.type=Unconfined']
        : []),
      ...containerValues(template, 'seccompProfile.type')
        .filter(({ value }) => value === 'Unconfined')
        .map(({ label }) => `${label} securityContext.seccompProfile.type=Unconfined`),
    ],
  },
  {
    id: 'sysctls',
    level: 'baseline',
    forbidden: (template) =>
      objects(valueAt(template, 'spec.securityContext.sysctls'))
        .map((sysctl) => String(sysctl.name))
        .filter((name) => !SAFE_SYSCTLS.has(name))
        .map((name) => `spec.securityContext.sysctls ${name}`),
  },
  {
    id: 'restrictedVolumes',
    level: 'restricted',
    forbidden: (template) =>
      objects(spec(template).volumes).flatMap((volume) =>
        Object.keys(volume)
          .filter((source) => !RESTRICTED_VOLUME_SOURCES.has(source))
          .map((source) => `volume ${String(volume.name)} ${source}`),
      ),
  },
  {
    id: 'allowPrivilegeEscalation',
    level: 'restricted',
    forbidden: (template) =>
      isWindows(template)
        ? []
        : containerValues(template, 'allowPrivilegeEscalation')
            .filter(({ value }) => value !== false)
            .map(
              ({ label, value }) => `${label} securityContext.allowPrivilegeEscalation=${value === undefined ? '(unset)' : String(value)}`,
            ),
  },
  { id: 'runAsNonRoot', level: 'restricted', forbidden: runAsNonRootForbidden },
  {
    id: 'runAsUser',
    level: 'restricted',
    forbidden: (template) => [
      ...(valueAt(template, 'spec.securityContext.runAsUser') === 0 ? ['spec.securityContext.runAsUser=0'] : []),
      ...containerValues(template, 'runAsUser')
        .filter(({ value }) => value === 0)
        .map(({ label }) => `${label} securityContext.runAsUser=0`),
    ],
  },
  { id: 'seccompProfile_restricted', level: 'restricted', forbidden: seccompRestrictedForbidden },
  { id: 'capabilities_restricted', level: 'restricted', forbidden: capabilitiesRestrictedForbidden },
];

/** check_appArmorProfile.go: neither the field (since 1.30) nor the annotation may switch AppArmor off. */
function appArmorForbidden(template: JsonObject): string[] {
  const found: string[] = [];
  const podType = valueAt(template, 'spec.securityContext.appArmorProfile.type');
  if (podType !== undefined && !CONFINED_PROFILES.has(String(podType)))
    found.push(`spec.securityContext.appArmorProfile.type=${String(podType)}`);
  for (const { label, value } of containerValues(template, 'appArmorProfile.type'))
    if (value !== undefined && !CONFINED_PROFILES.has(String(value)))
      found.push(`${label} securityContext.appArmorProfile.type=${String(value)}`);
  const annotations = valueAt(template, 'metadata.annotations');
  for (const [key, value] of Object.entries(isRecord(annotations) ? annotations : {}))
    if (key.startsWith(APPARMOR_ANNOTATION) && value !== 'runtime/default' && !String(value).startsWith('localhost/'))
      found.push(`metadata.annotations ${key}=${String(value)}`);
  return found;
}

/** check_seLinuxOptions.go: only the container types, and no custom user or role. */
function seLinuxForbidden(template: JsonObject): string[] {
  const contexts = [
    { label: 'spec.securityContext', options: valueAt(template, 'spec.securityContext.seLinuxOptions') },
    ...containerValues(template, 'seLinuxOptions').map(({ label, value }) => ({ label: `${label} securityContext`, options: value })),
  ];
  return contexts.flatMap(({ label, options }) => {
    if (!isRecord(options)) return [];
    const found: string[] = [];
    if (!SELINUX_TYPES.has(String(options.type ?? ''))) found.push(`${label}.seLinuxOptions.type=${String(options.type)}`);
    for (const field of ['user', 'role']) if (options[field]) found.push(`${label}.seLinuxOptions.${field}=${String(options[field])}`);
    return found;
  });
}

/** check_runAsNonRoot.go: true on the pod or on every container, and false nowhere. */
function runAsNonRootForbidden(template: JsonObject): string[] {
  const pod = valueAt(template, 'spec.securityContext.runAsNonRoot');
  const found = pod === false ? ['spec.securityContext.runAsNonRoot=false'] : [];
  for (const { label, value } of containerValues(template, 'runAsNonRoot')) {
    if (value === false) found.push(`${label} securityContext.runAsNonRoot=false`);
    else if (value === undefined && pod !== true) found.push(`${label} securityContext.runAsNonRoot=(unset)`);
  }
  return found;
}

/** check_seccompProfile_restricted.go: RuntimeDefault or Localhost on the pod or on every container. */
function seccompRestrictedForbidden(template: JsonObject): string[] {
  if (isWindows(template)) return [];
  const pod = valueAt(template, 'spec.securityContext.seccompProfile.type');
  const found = pod !== undefined && !CONFINED_PROFILES.has(String(pod)) ? [`spec.securityContext.seccompProfile.type=${String(pod)}`] : [];
  for (const { label, value } of containerValues(template, 'seccompProfile.type')) {
    if (value !== undefined && !CONFINED_PROFILES.has(String(value)))
      found.push(`${label} securityContext.seccompProfile.type=${String(value)}`);
    else if (value === undefined && pod === undefined) found.push(`${label} securityContext.seccompProfile.type=(unset)`);
  }
  return found;
}

/** check_capabilities_restricted.go: every container drops ALL and adds nothing but NET_BIND_SERVICE (ephemeral containers too). */
function capabilitiesRestrictedForbidden(template: JsonObject): string[] {
  if (isWindows(template)) return [];
  return containersOf(spec(template)).flatMap(({ label, container }) => {
    const found: string[] = [];
    const drop = strings(valueAt(container, 'securityContext.capabilities.drop'));
    if (!drop.includes('ALL')) found.push(`${label} securityContext.capabilities.drop lacks ALL`);
    for (const capability of strings(valueAt(container, 'securityContext.capabilities.add')))
      if (normalizeCapability(capability) !== 'NET_BIND_SERVICE') found.push(`${label} securityContext.capabilities.add=${capability}`);
    return found;
  });
}

/** Every check the level enforces and what the template holds that each forbids. */
export function podSecurityViolations(template: JsonObject, level: PodSecurityLevel): { check: string; forbidden: string[] }[] {
  const enforced = POD_SECURITY_CHECKS.filter((check) => level === 'restricted' || (level === 'baseline' && check.level === 'baseline'));
  return enforced
    .map((check) => ({ check: check.id, forbidden: check.forbidden(template) }))
    .filter((result) => result.forbidden.length > 0);
}
