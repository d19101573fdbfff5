/**
 * The checks of the Pod Security Standards (kubernetes.io/docs/concepts/security/pod-security-standards),
 * following k8s.io/pod-security-admission's policy checks (staging/src/k8s.io/pod-security-admission/policy/
 * check_*.go), by policy version: a namespace's `enforce-version` (`v1.29`) selects the checks and
 * allowed values that version had, `latest` the newest (as of Kubernetes 1.35). Each check reads a
 * pod template and says what in it the level forbids. Own code: no upstream code is copied.
 */
import { containersOf, objects, strings } from './pod-spec.js';
import { normalizeCapability } from './privileges.js';
import { isRecord, valueAt, type JsonObject } from './values.js';

export type PodSecurityLevel = 'privileged' | 'baseline' | 'restricted';
export const POD_SECURITY_LEVELS: readonly PodSecurityLevel[] = ['privileged', 'baseline', 'restricted'];

/** A policy version as its minor (`v1.29` -> 29); `latest` is every check at its newest. */
export type PolicyVersion = number;
export const LATEST_POLICY_VERSION: PolicyVersion = Number.POSITIVE_INFINITY;

export interface PodSecurityCheck {
  /** The check's upstream ID (policy.CheckID). */
  id: string;
  /** The lowest level that enforces it (restricted enforces baseline's checks too). */
  level: Exclude<PodSecurityLevel, 'privileged'>;
  /** Baseline checks this one replaces at restricted (upstream `OverrideCheckIDs`): a stricter form of the same rule. */
  overrides?: string[];
  /** The policy version (minor) that introduced it (upstream `MinimumVersion`); checked in every version when absent. */
  since?: PolicyVersion;
  /** What the template holds that the level forbids, one entry each (`container web securityContext.privileged=true`); empty when it passes. */
  forbidden(template: JsonObject, version: PolicyVersion): string[];
}

/** check_capabilities_baseline.go: the capabilities container runtimes grant by default, which baseline allows adding. */
const BASELINE_CAPABILITIES = new Set([
  'AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD', 'NET_BIND_SERVICE', 'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT',
]); // prettier-ignore
/** check_seLinuxOptions.go: the container types SELinux allows, each with the version that allowed it. */
const SELINUX_TYPES: Record<string, PolicyVersion> = {
  '': 0,
  container_t: 0,
  container_init_t: 0,
  container_kvm_t: 0,
  container_engine_t: 31,
};
/** check_sysctls.go: the namespaced "safe" sysctls, each with the version that allowed it. */
const SAFE_SYSCTLS: Record<string, PolicyVersion> = {
  'kernel.shm_rmid_forced': 0, 'net.ipv4.ip_local_port_range': 0, 'net.ipv4.ip_unprivileged_port_start': 0, 'net.ipv4.tcp_syncookies': 0,
  'net.ipv4.ping_group_range': 0, 'net.ipv4.ip_local_reserved_ports': 27, 'net.ipv4.tcp_keepalive_time': 29, 'net.ipv4.tcp_fin_timeout': 29,
  'net.ipv4.tcp_keepalive_intvl': 29, 'net.ipv4.tcp_keepalive_probes': 29, 'net.ipv4.tcp_rmem': 32, 'net.ipv4.tcp_wmem': 32,
}; // prettier-ignore
/** Allowed in `version` by a table of values and the version that allowed each. */
const allowedIn = (table: Record<string, PolicyVersion>, value: string, version: PolicyVersion) =>
  Object.hasOwn(table, value) && table[value]! <= version;
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
/**
 * A pod in its own user namespace (`hostUsers: false`) is root only inside it: runAsNonRoot,
 * runAsUser and (since 1.35) baseline's procMount are relaxed for it (KEP-127; relaxPolicyForUserNamespacePod).
 */
const inUserNamespace = (template: JsonObject) => valueAt(template, 'spec.hostUsers') === false;
/** check_procMount_baseline.go: the version whose baseline lets a user-namespaced pod unmask /proc. */
const USER_NAMESPACE_PROC_MOUNT_SINCE: PolicyVersion = 35;
/** Restricted's checks of privilege escalation, seccomp and capabilities do not apply to Windows pods (`spec.os.name`) since 1.25. */
const WINDOWS_EXEMPT_SINCE: PolicyVersion = 25;
const isWindows = (template: JsonObject, version: PolicyVersion) =>
  version >= WINDOWS_EXEMPT_SINCE && valueAt(template, 'spec.os.name') === 'windows';

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
    forbidden: (template, version) =>
      version >= USER_NAMESPACE_PROC_MOUNT_SINCE && inUserNamespace(template) ? [] : unmaskedProc(template),
  },
  { id: 'hostProbesAndHostLifecycle', level: 'baseline', since: 34, forbidden: probeHostsForbidden },
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
    forbidden: (template, version) =>
      objects(valueAt(template, 'spec.securityContext.sysctls'))
        .map((sysctl) => String(sysctl.name))
        .filter((name) => !allowedIn(SAFE_SYSCTLS, name, version))
        .map((name) => `spec.securityContext.sysctls ${name}`),
  },
  {
    id: 'restrictedVolumes',
    level: 'restricted',
    overrides: ['hostPathVolumes'],
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
    forbidden: (template, version) =>
      isWindows(template, version)
        ? []
        : containerValues(template, 'allowPrivilegeEscalation')
            .filter(({ value }) => value !== false)
            .map(
              ({ label, value }) => `${label} securityContext.allowPrivilegeEscalation=${value === undefined ? '(unset)' : String(value)}`,
            ),
  },
  { id: 'runAsNonRoot', level: 'restricted', forbidden: (template) => (inUserNamespace(template) ? [] : runAsNonRootForbidden(template)) },
  {
    id: 'runAsUser',
    level: 'restricted',
    since: 23,
    forbidden: (template) =>
      inUserNamespace(template)
        ? []
        : [
            ...(valueAt(template, 'spec.securityContext.runAsUser') === 0 ? ['spec.securityContext.runAsUser=0'] : []),
            ...containerValues(template, 'runAsUser')
              .filter(({ value }) => value === 0)
              .map(({ label }) => `${label} securityContext.runAsUser=0`),
          ],
  },
  { id: 'seccompProfile_restricted', level: 'restricted', overrides: ['seccompProfile_baseline'], forbidden: seccompRestrictedForbidden },
  {
    id: 'capabilities_restricted',
    level: 'restricted',
    since: 22,
    overrides: ['capabilities_baseline'],
    forbidden: capabilitiesRestrictedForbidden,
  },
  // Since 1.35 restricted keeps the /proc masks for every pod, user-namespaced ones included.
  { id: 'procMount_restricted', level: 'restricted', since: 35, overrides: ['procMount'], forbidden: unmaskedProc },
];

function unmaskedProc(template: JsonObject): string[] {
  return containerValues(template, 'procMount')
    .filter(({ value }) => value !== undefined && value !== 'Default')
    .map(({ label, value }) => `${label} securityContext.procMount=${String(value)}`);
}

/** check_hostProbesAndhostLifecycle.go (1.34+): probes and lifecycle hooks must not reach another host than the pod (`host` unset or ""). */
function probeHostsForbidden(template: JsonObject): string[] {
  const handlers = ['livenessProbe', 'readinessProbe', 'startupProbe', 'lifecycle.postStart', 'lifecycle.preStop'];
  return containersOf(spec(template)).flatMap(({ label, container }) =>
    handlers.flatMap((handler) =>
      ['httpGet', 'tcpSocket'].flatMap((action) => {
        const host = valueAt(container, `${handler}.${action}.host`);
        return typeof host === 'string' && host !== '' ? [`${label} ${handler}.${action}.host=${host}`] : [];
      }),
    ),
  );
}

/** The version from which the AppArmor check reads the `appArmorProfile` fields besides the annotation. */
const APPARMOR_FIELD_SINCE: PolicyVersion = 30;

/** check_appArmorProfile.go: neither the field (since 1.30) nor the annotation may switch AppArmor off. */
function appArmorForbidden(template: JsonObject, version: PolicyVersion): string[] {
  const found: string[] = [];
  const podType = valueAt(template, 'spec.securityContext.appArmorProfile.type');
  const fieldChecked = version >= APPARMOR_FIELD_SINCE;
  if (fieldChecked && podType !== undefined && !CONFINED_PROFILES.has(String(podType)))
    found.push(`spec.securityContext.appArmorProfile.type=${String(podType)}`);
  for (const { label, value } of fieldChecked ? containerValues(template, 'appArmorProfile.type') : [])
    if (value !== undefined && !CONFINED_PROFILES.has(String(value)))
      found.push(`${label} securityContext.appArmorProfile.type=${String(value)}`);
  const annotations = valueAt(template, 'metadata.annotations');
  for (const [key, value] of Object.entries(isRecord(annotations) ? annotations : {}))
    if (key.startsWith(APPARMOR_ANNOTATION) && value !== 'runtime/default' && !String(value).startsWith('localhost/'))
      found.push(`metadata.annotations ${key}=${String(value)}`);
  return found;
}

/** check_seLinuxOptions.go: only the container types, and no custom user or role. */
function seLinuxForbidden(template: JsonObject, version: PolicyVersion): string[] {
  const contexts = [
    { label: 'spec.securityContext', options: valueAt(template, 'spec.securityContext.seLinuxOptions') },
    ...containerValues(template, 'seLinuxOptions').map(({ label, value }) => ({ label: `${label} securityContext`, options: value })),
  ];
  return contexts.flatMap(({ label, options }) => {
    if (!isRecord(options)) return [];
    const found: string[] = [];
    if (!allowedIn(SELINUX_TYPES, String(options.type ?? ''), version)) found.push(`${label}.seLinuxOptions.type=${String(options.type)}`);
    for (const field of ['user', 'role']) if (options[field]) found.push(`${label}.seLinuxOptions.${field}=${String(options[field])}`);
    return found;
  });
}

/** check_runAsNonRoot.go: true on the pod or on every container, and false nowhere. */
function runAsNonRootForbidden(template: JsonObject): string[] {
  const pod = valueAt(template, 'spec.securityContext.runAsNonRoot');
  const values = containerValues(template, 'runAsNonRoot');
  // An explicit false is the reason when there is one; else every container that neither it nor the pod sets true.
  const explicit = [
    ...(pod === false ? ['spec.securityContext.runAsNonRoot=false'] : []),
    ...values.filter(({ value }) => value === false).map(({ label }) => `${label} securityContext.runAsNonRoot=false`),
  ];
  if (explicit.length > 0) return explicit;
  return values
    .filter(({ value }) => value === undefined && pod !== true)
    .map(({ label }) => `${label} securityContext.runAsNonRoot=(unset)`);
}

/** check_seccompProfile_restricted.go: RuntimeDefault or Localhost on the pod or on every container. */
function seccompRestrictedForbidden(template: JsonObject, version: PolicyVersion): string[] {
  if (isWindows(template, version)) return [];
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
function capabilitiesRestrictedForbidden(template: JsonObject, version: PolicyVersion): string[] {
  if (isWindows(template, version)) return [];
  return containersOf(spec(template)).flatMap(({ label, container }) => {
    const found: string[] = [];
    const drop = strings(valueAt(container, 'securityContext.capabilities.drop'));
    if (!drop.includes('ALL')) found.push(`${label} securityContext.capabilities.drop lacks ALL`);
    for (const capability of strings(valueAt(container, 'securityContext.capabilities.add')))
      if (normalizeCapability(capability) !== 'NET_BIND_SERVICE') found.push(`${label} securityContext.capabilities.add=${capability}`);
    return found;
  });
}

/** Every check the level enforces in the policy version, and what the template holds that each forbids. */
export function podSecurityViolations(
  template: JsonObject,
  level: PodSecurityLevel,
  version: PolicyVersion = LATEST_POLICY_VERSION,
): { check: string; forbidden: string[] }[] {
  const enforced = POD_SECURITY_CHECKS.filter(
    (check) => (level === 'restricted' || (level === 'baseline' && check.level === 'baseline')) && (check.since ?? 0) <= version,
  );
  const overridden = new Set(enforced.flatMap((check) => check.overrides ?? []));
  return enforced
    .filter((check) => !overridden.has(check.id))
    .map((check) => ({ check: check.id, forbidden: check.forbidden(template, version) }))
    .filter((result) => result.forbidden.length > 0);
}
