import { describe, expect, it } from 'vitest';
import { LATEST_POLICY_VERSION, POD_SECURITY_CHECKS, podSecurityViolations } from '../../src/risk/pod-security-checks.js';

type Template = Record<string, any>;

/** A pod template restricted admits: every container drops ALL, runs as non-root, no escalation, RuntimeDefault seccomp. */
function compliant(): Template {
  return {
    metadata: { labels: { app: 'web' } },
    spec: {
      securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
      containers: [
        {
          name: 'web',
          image: 'registry.example.com/web:1.0.0',
          securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
        },
      ],
      volumes: [{ name: 'config', configMap: { name: 'web' } }],
    },
  };
}

/** What one check (at the newest policy version) says about the template changed by `edit` (and that it passes the compliant one). */
function check(id: string, edit: (template: Template) => void): string[] {
  const found = POD_SECURITY_CHECKS.find((candidate) => candidate.id === id);
  if (!found) throw new Error(`no check ${id}`);
  expect(found.forbidden(compliant(), LATEST_POLICY_VERSION)).toEqual([]);
  const template = compliant();
  edit(template);
  return found.forbidden(template, LATEST_POLICY_VERSION);
}

/** The check IDs the level refuses the template for in a policy version. */
const refusedBy = (template: Template, level: 'baseline' | 'restricted', version: number) =>
  podSecurityViolations(template, level, version).map((violation) => violation.check);

const web = (template: Template) => template.spec.containers[0];

describe('the Pod Security Standards levels (k8s.io/pod-security-admission policy)', () => {
  it('every check has a test here, and restricted enforces baseline too', () => {
    expect(POD_SECURITY_CHECKS.map((c) => c.id).sort()).toEqual(
      [
        'allowPrivilegeEscalation',
        'appArmorProfile',
        'capabilities_baseline',
        'capabilities_restricted',
        'hostNamespaces',
        'hostPathVolumes',
        'hostPorts',
        'hostProbesAndHostLifecycle',
        'hostProcess',
        'privileged',
        'procMount',
        'procMount_restricted',
        'restrictedVolumes',
        'runAsNonRoot',
        'runAsUser',
        'seLinuxOptions',
        'seccompProfile_baseline',
        'seccompProfile_restricted',
        'sysctls',
      ].sort(),
    );
    const template = compliant();
    template.spec.hostNetwork = true;
    expect(podSecurityViolations(template, 'restricted').map((v) => v.check)).toEqual(['hostNamespaces']);
    expect(podSecurityViolations(template, 'baseline').map((v) => v.check)).toEqual(['hostNamespaces']);
    expect(podSecurityViolations(template, 'privileged')).toEqual([]);
    delete template.spec.securityContext;
    expect(podSecurityViolations(template, 'baseline').map((v) => v.check)).toEqual(['hostNamespaces']);
  });
});

describe('baseline checks: access to the host', () => {
  it('hostProcess: no Windows host process, on the pod or a container', () => {
    expect(check('hostProcess', (t) => (web(t).securityContext.windowsOptions = { hostProcess: true }))).toEqual([
      'container web securityContext.windowsOptions.hostProcess=true',
    ]);
    expect(check('hostProcess', (t) => (t.spec.securityContext.windowsOptions = { hostProcess: false }))).toEqual([]);
  });

  it('hostNamespaces: no hostNetwork, hostPID, hostIPC', () => {
    expect(check('hostNamespaces', (t) => Object.assign(t.spec, { hostPID: true, hostIPC: true, hostNetwork: false }))).toEqual([
      'spec.hostPID=true',
      'spec.hostIPC=true',
    ]);
  });

  it('privileged: no privileged container, init containers included', () => {
    expect(check('privileged', (t) => (t.spec.initContainers = [{ name: 'setup', securityContext: { privileged: true } }]))).toEqual([
      'init container setup securityContext.privileged=true',
    ]);
  });

  it('hostPathVolumes: no hostPath volume', () => {
    expect(check('hostPathVolumes', (t) => t.spec.volumes.push({ name: 'root', hostPath: { path: '/' } }))).toEqual([
      'volume root hostPath /',
    ]);
  });

  it('hostPorts: no host port other than 0', () => {
    expect(
      check(
        'hostPorts',
        (t) =>
          (web(t).ports = [
            { containerPort: 80, hostPort: 80 },
            { containerPort: 81, hostPort: 0 },
          ]),
      ),
    ).toEqual(['container web hostPort 80']);
  });

  it('hostProbesAndHostLifecycle: probes and lifecycle hooks may not name a host (1.34)', () => {
    expect(
      check('hostProbesAndHostLifecycle', (t) => {
        web(t).livenessProbe = { httpGet: { host: '10.0.0.1', port: 80 } };
        web(t).readinessProbe = { tcpSocket: { host: '', port: 80 } };
        web(t).lifecycle = { preStop: { httpGet: { host: 'metadata.internal', path: '/', port: 80 } } };
      }),
    ).toEqual(['container web livenessProbe.httpGet.host=10.0.0.1', 'container web lifecycle.preStop.httpGet.host=metadata.internal']);
  });
});

describe('baseline checks: kernel confinement', () => {
  it('capabilities_baseline: only the runtime default capabilities may be added', () => {
    expect(
      check('capabilities_baseline', (t) => (web(t).securityContext.capabilities.add = ['CHOWN', 'NET_ADMIN', 'CAP_SYS_TIME'])),
    ).toEqual(['container web securityContext.capabilities.add=NET_ADMIN', 'container web securityContext.capabilities.add=CAP_SYS_TIME']);
  });

  it('appArmorProfile: AppArmor not switched off, by field or annotation', () => {
    expect(
      check('appArmorProfile', (t) => {
        web(t).securityContext.appArmorProfile = { type: 'Unconfined' };
        t.metadata.annotations = {
          'container.apparmor.security.beta.kubernetes.io/web': 'unconfined',
          'container.apparmor.security.beta.kubernetes.io/side': 'localhost/strict',
        };
      }),
    ).toEqual([
      'container web securityContext.appArmorProfile.type=Unconfined',
      'metadata.annotations container.apparmor.security.beta.kubernetes.io/web=unconfined',
    ]);
  });

  it('seLinuxOptions: only the container types, no user or role', () => {
    expect(
      check('seLinuxOptions', (t) => (t.spec.securityContext.seLinuxOptions = { type: 'container_engine_t', level: 's0:c1' })),
    ).toEqual([]);
    expect(check('seLinuxOptions', (t) => (web(t).securityContext.seLinuxOptions = { type: 'spc_t', user: 'system_u' }))).toEqual([
      'container web securityContext.seLinuxOptions.type=spc_t',
      'container web securityContext.seLinuxOptions.user=system_u',
    ]);
  });

  it('procMount: the default /proc mask only, unless the pod has its own user namespace', () => {
    expect(
      check('procMount', (t) => {
        web(t).securityContext.procMount = 'Unmasked';
        t.spec.hostUsers = false;
      }),
    ).toEqual([]);
    expect(check('procMount', (t) => (web(t).securityContext.procMount = 'Unmasked'))).toEqual([
      'container web securityContext.procMount=Unmasked',
    ]);
    expect(check('procMount', (t) => (web(t).securityContext.procMount = 'Default'))).toEqual([]);
  });

  it('seccompProfile_baseline: seccomp not switched off', () => {
    expect(check('seccompProfile_baseline', (t) => (t.spec.securityContext.seccompProfile.type = 'Unconfined'))).toEqual([
      'spec.securityContext.seccompProfile.type=Unconfined',
    ]);
  });

  it('sysctls: only the namespaced safe set', () => {
    const sysctls = [
      { name: 'net.ipv4.tcp_keepalive_time', value: '60' },
      { name: 'kernel.msgmax', value: '1' },
    ];
    expect(check('sysctls', (t) => (t.spec.securityContext.sysctls = sysctls))).toEqual(['spec.securityContext.sysctls kernel.msgmax']);
  });
});

describe('restricted checks: volumes, users and privileges', () => {
  it('restrictedVolumes: only configMap, csi, downwardAPI, emptyDir, ephemeral, persistentVolumeClaim, projected, secret', () => {
    expect(
      check('restrictedVolumes', (t) =>
        t.spec.volumes.push({ name: 'scratch', emptyDir: {} }, { name: 'share', nfs: { server: 'nas', path: '/' } }),
      ),
    ).toEqual(['volume share nfs']);
    // At restricted a hostPath volume is reported once, by restrictedVolumes in place of hostPathVolumes.
    const hostPath = compliant();
    hostPath.spec.volumes.push({ name: 'root', hostPath: { path: '/' } });
    expect(podSecurityViolations(hostPath, 'restricted')).toEqual([{ check: 'restrictedVolumes', forbidden: ['volume root hostPath'] }]);
  });

  it('allowPrivilegeEscalation: false on every container (not checked for Windows pods)', () => {
    expect(check('allowPrivilegeEscalation', (t) => delete web(t).securityContext.allowPrivilegeEscalation)).toEqual([
      'container web securityContext.allowPrivilegeEscalation=(unset)',
    ]);
    expect(
      check('allowPrivilegeEscalation', (t) => {
        delete web(t).securityContext.allowPrivilegeEscalation;
        t.spec.os = { name: 'windows' };
      }),
    ).toEqual([]);
  });

  it('runAsNonRoot: true on the pod or every container, false nowhere', () => {
    expect(check('runAsNonRoot', (t) => (web(t).securityContext.runAsNonRoot = false))).toEqual([
      'container web securityContext.runAsNonRoot=false',
    ]);
    expect(
      check('runAsNonRoot', (t) => {
        delete t.spec.securityContext.runAsNonRoot;
        t.spec.containers.push({ name: 'side', securityContext: { runAsNonRoot: true } });
      }),
    ).toEqual(['container web securityContext.runAsNonRoot=(unset)']);
    expect(check('runAsNonRoot', (t) => Object.assign(t.spec, { hostUsers: false, securityContext: {} }))).toEqual([]);
  });

  it('runAsUser: never 0, unless the pod has its own user namespace', () => {
    expect(check('runAsUser', (t) => (t.spec.securityContext.runAsUser = 0))).toEqual(['spec.securityContext.runAsUser=0']);
    expect(check('runAsUser', (t) => Object.assign(t.spec, { hostUsers: false, securityContext: { runAsUser: 0 } }))).toEqual([]);
    expect(check('runAsUser', (t) => (web(t).securityContext.runAsUser = 1000))).toEqual([]);
  });
});

describe('restricted checks: confinement', () => {
  it('seccompProfile_restricted: RuntimeDefault or Localhost on the pod or every container', () => {
    expect(check('seccompProfile_restricted', (t) => delete t.spec.securityContext.seccompProfile)).toEqual([
      'container web securityContext.seccompProfile.type=(unset)',
    ]);
    expect(
      check('seccompProfile_restricted', (t) => {
        delete t.spec.securityContext.seccompProfile;
        web(t).securityContext.seccompProfile = { type: 'Localhost', localhostProfile: 'web.json' };
      }),
    ).toEqual([]);
  });

  it('capabilities_restricted: drop ALL, add NET_BIND_SERVICE at most', () => {
    expect(
      check('capabilities_restricted', (t) => {
        web(t).securityContext.capabilities = { drop: ['NET_RAW'], add: ['NET_BIND_SERVICE', 'NET_ADMIN'] };
      }),
    ).toEqual(['container web securityContext.capabilities.drop lacks ALL', 'container web securityContext.capabilities.add=NET_ADMIN']);
  });

  it('procMount_restricted: the default /proc mask only, user namespace or not (1.35), in place of the baseline check', () => {
    const unmasked = compliant();
    web(unmasked).securityContext.procMount = 'Unmasked';
    unmasked.spec.hostUsers = false;
    expect(podSecurityViolations(unmasked, 'baseline')).toEqual([]);
    expect(podSecurityViolations(unmasked, 'restricted')).toEqual([
      { check: 'procMount_restricted', forbidden: ['container web securityContext.procMount=Unmasked'] },
    ]);
  });
});

describe('Pod Security Standards policy versions (enforce-version)', () => {
  it('checks what each version checked: newer checks and values only from their version on', () => {
    const probe = compliant();
    web(probe).livenessProbe = { httpGet: { host: '10.0.0.1', port: 80 } };
    expect([refusedBy(probe, 'baseline', 33), refusedBy(probe, 'baseline', 34)]).toEqual([[], ['hostProbesAndHostLifecycle']]);
    const sysctl = compliant();
    sysctl.spec.securityContext.sysctls = [{ name: 'net.ipv4.tcp_rmem', value: '4096 87380 6291456' }];
    expect([refusedBy(sysctl, 'baseline', 31), refusedBy(sysctl, 'baseline', 32)]).toEqual([['sysctls'], []]);
    const engine = compliant();
    engine.spec.securityContext.seLinuxOptions = { type: 'container_engine_t' };
    expect([refusedBy(engine, 'baseline', 30), refusedBy(engine, 'baseline', 31)]).toEqual([['seLinuxOptions'], []]);
    const apparmor = compliant();
    web(apparmor).securityContext.appArmorProfile = { type: 'Unconfined' };
    expect([refusedBy(apparmor, 'baseline', 29), refusedBy(apparmor, 'baseline', 30)]).toEqual([[], ['appArmorProfile']]);
  });

  it('restricted gained runAsUser in 1.23, drop ALL in 1.22, the Windows exemptions in 1.25 and its own procMount check in 1.35', () => {
    const root = compliant();
    root.spec.securityContext.runAsUser = 0;
    expect([refusedBy(root, 'restricted', 22), refusedBy(root, 'restricted', 23)]).toEqual([[], ['runAsUser']]);
    const windows = compliant();
    windows.spec.os = { name: 'windows' };
    delete web(windows).securityContext;
    delete windows.spec.securityContext.seccompProfile;
    expect(refusedBy(windows, 'restricted', 24)).toEqual([
      'allowPrivilegeEscalation',
      'seccompProfile_restricted',
      'capabilities_restricted',
    ]);
    expect(refusedBy(windows, 'restricted', 25)).toEqual([]);
    const unmasked = compliant();
    web(unmasked).securityContext.procMount = 'Unmasked';
    unmasked.spec.hostUsers = false;
    expect([refusedBy(unmasked, 'restricted', 34), refusedBy(unmasked, 'restricted', 35)]).toEqual([
      ['procMount'],
      ['procMount_restricted'],
    ]);
  });
});
