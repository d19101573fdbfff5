/**
 * Objects of a small platform, each valid, and 29 copies with one mistake a chart bump or a
 * values typo makes. The API server refuses every mistake; the JSON schemas see only four of them
 * (marked `schema`). Written for this project's tests.
 */
type Manifest = Record<string, any>;

const labels = { 'app.kubernetes.io/name': 'web' };

export function webDeployment(name = 'web'): Manifest {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'apps', labels },
    spec: {
      replicas: 2,
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: {
          containers: [
            {
              name: 'web',
              image: 'registry.example.com/web:2.4.1',
              imagePullPolicy: 'IfNotPresent',
              ports: [{ name: 'http', containerPort: 8080 }],
              env: [{ name: 'MODE', value: 'production' }],
              resources: { requests: { cpu: '100m', memory: '64Mi' }, limits: { cpu: '500m', memory: '256Mi' } },
              readinessProbe: { httpGet: { path: '/healthz', port: 'http' } },
              volumeMounts: [{ name: 'config', mountPath: '/etc/web' }],
            },
          ],
          volumes: [{ name: 'config', configMap: { name: 'web-config' } }],
        },
      },
    },
  };
}

export function webService(name = 'web'): Manifest {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: 'apps' },
    spec: { type: 'ClusterIP', selector: labels, ports: [{ name: 'http', port: 80, targetPort: 'http' }] },
  };
}

export function webIngress(name = 'web'): Manifest {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name, namespace: 'apps' },
    spec: {
      rules: [
        {
          host: 'web.example.com',
          http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { name: 'http' } } } }] },
        },
      ],
    },
  };
}

export function databaseStatefulSet(name = 'db'): Manifest {
  const dbLabels = { 'app.kubernetes.io/name': 'db' };
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name, namespace: 'apps' },
    spec: {
      serviceName: 'db',
      podManagementPolicy: 'OrderedReady',
      selector: { matchLabels: dbLabels },
      template: { metadata: { labels: dbLabels }, spec: { containers: [{ name: 'db', image: 'registry.example.com/db:16.2' }] } },
      volumeClaimTemplates: [
        { metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } },
      ],
    },
  };
}

export function backupCronJob(name = 'backup'): Manifest {
  return {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name, namespace: 'apps' },
    spec: {
      schedule: '0 3 * * *',
      timeZone: 'Europe/Berlin',
      jobTemplate: {
        spec: {
          template: {
            spec: { restartPolicy: 'OnFailure', containers: [{ name: 'backup', image: 'registry.example.com/backup:1.0.0' }] },
          },
        },
      },
    },
  };
}

export function webConfigMap(name = 'web-config'): Manifest {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'apps' }, data: { 'web.conf': 'listen 8080\n' } };
}

export function nodeAgentDeployment(name = 'agent'): Manifest {
  const agentLabels = { 'app.kubernetes.io/name': 'agent' };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'apps' },
    spec: {
      selector: { matchLabels: agentLabels },
      template: {
        metadata: { labels: agentLabels },
        spec: {
          hostNetwork: true,
          containers: [{ name: 'agent', image: 'registry.example.com/agent:3.1.0', ports: [{ containerPort: 9100, hostPort: 9100 }] }],
        },
      },
    },
  };
}

/** The valid objects: the API server accepts every one. */
export function validObjects(): Manifest[] {
  return [webConfigMap(), webDeployment(), webService(), webIngress(), databaseStatefulSet(), backupCronJob(), nodeAgentDeployment()];
}

export interface RefusalCase {
  /** Object name (unique); the object carries exactly one mistake. */
  name: string;
  object: Manifest;
  /** Part of the API server's message. */
  message: string | RegExp;
  /** The JSON schemas see this one too. */
  schema?: boolean;
}

function edited(object: Manifest, edit: (copy: Manifest) => void): Manifest {
  const copy = structuredClone(object);
  edit(copy);
  return copy;
}

const container = (object: Manifest) => object.spec.template.spec.containers[0];

export function refusalCases(): RefusalCase[] {
  const cases: [string, (name: string) => Manifest, string | RegExp, boolean?][] = [
    [
      'selector',
      (n) => edited(webDeployment(n), (o) => (o.spec.template.metadata.labels = { app: 'other' })),
      '`selector` does not match template `labels`',
    ],
    [
      'twins',
      (n) =>
        edited(webDeployment(n), (o) => o.spec.template.spec.containers.push({ name: 'web', image: 'registry.example.com/side:1.0.0' })),
      /Duplicate value: "web"|duplicate entries for key \[name="web"\]/,
    ],
    ['container-caps', (n) => edited(webDeployment(n), (o) => (container(o).name = 'Web')), 'a lowercase RFC 1123 label'],
    ['Object-Caps', (n) => webConfigMap(n), 'a lowercase RFC 1123 subdomain'],
    ['port-range', (n) => edited(webDeployment(n), (o) => (container(o).ports[0].containerPort = 70000)), 'must be between 1 and 65535'],
    ['negative-replicas', (n) => edited(webDeployment(n), (o) => (o.spec.replicas = -1)), 'must be greater than or equal to 0'],
    ['long-label', (n) => edited(webConfigMap(n), (o) => (o.metadata.labels = { tier: 'x'.repeat(70) })), 'must be no more than 63 bytes'],
    [
      'label-space',
      (n) => edited(webConfigMap(n), (o) => (o.metadata.labels = { 'my tier': 'web' })),
      'name part must consist of alphanumeric characters',
    ],
    [
      'requests-above-limits',
      (n) => edited(webDeployment(n), (o) => (container(o).resources.requests.memory = '1Gi')),
      'must be less than or equal to memory limit',
    ],
    ['missing-volume', (n) => edited(webDeployment(n), (o) => (container(o).volumeMounts[0].name = 'cache')), 'Not found: "cache"'],
    ['restart-never', (n) => edited(webDeployment(n), (o) => (o.spec.template.spec.restartPolicy = 'Never')), 'Unsupported value: "Never"'],
    [
      'value-and-from',
      (n) => edited(webDeployment(n), (o) => (container(o).env[0].valueFrom = { fieldRef: { fieldPath: 'metadata.name' } })),
      'may not be specified when `value` is not empty',
    ],
    [
      'duplicate-env',
      (n) => edited(webDeployment(n), (o) => container(o).env.push({ name: 'MODE', value: 'debug' })),
      'duplicate entries for key [name="MODE"]',
    ],
    [
      'duplicate-ports',
      (n) => edited(webService(n), (o) => o.spec.ports.push({ name: 'http', port: 80, targetPort: 8081 })),
      /duplicate entries for key|Duplicate value/,
    ],
    [
      'port-underscore',
      (n) => edited(webService(n), (o) => (o.spec.ports[0].name = 'http_main')),
      '"http_main": a lowercase RFC 1123 label',
    ],
    [
      'clusterip-nodeport',
      (n) => edited(webService(n), (o) => (o.spec.ports[0].nodePort = 30080)),
      "may not be used when `type` is 'ClusterIP'",
    ],
    ['relative-path', (n) => edited(webIngress(n), (o) => (o.spec.rules[0].http.paths[0].path = 'api')), 'must be an absolute path'],
    ['schedule', (n) => edited(backupCronJob(n), (o) => (o.spec.schedule = '61 * * * *')), 'above maximum (59)'],
    ['time-zone', (n) => edited(backupCronJob(n), (o) => (o.spec.timeZone = 'Mars/Olympus')), 'unknown time zone Mars/Olympus'],
    [
      'management-policy',
      (n) => edited(databaseStatefulSet(n), (o) => (o.spec.podManagementPolicy = 'Sometimes')),
      "must be 'OrderedReady' or 'Parallel'",
    ],
    [
      'claim-without-storage',
      (n) => edited(databaseStatefulSet(n), (o) => (o.spec.volumeClaimTemplates[0].spec.resources = {})),
      'Required value',
    ],
    [
      'probe-without-handler',
      (n) => edited(webDeployment(n), (o) => (container(o).readinessProbe = { periodSeconds: 5 })),
      'must specify a handler type',
    ],
    ['pull-policy', (n) => edited(webDeployment(n), (o) => (container(o).imagePullPolicy = 'Sometimes')), 'Unsupported value: "Sometimes"'],
    [
      'host-port',
      (n) => edited(nodeAgentDeployment(n), (o) => (container(o).ports[0].hostPort = 9200)),
      'must match `containerPort` when `hostNetwork` is true',
    ],
    [
      'config-key',
      (n) => edited(webConfigMap(n), (o) => (o.data = { 'bad/key': 'x' })),
      'a valid config key must consist of alphanumeric characters',
    ],
    [
      'quantity',
      (n) => edited(webDeployment(n), (o) => (container(o).resources.limits.memory = '256 MB')),
      /quantities must match the regular expression|quantity/,
      true,
    ],
    ['unknown-field', (n) => edited(webDeployment(n), (o) => (o.spec.replica = 3)), '.spec.replica: field not declared in schema', true],
    [
      'string-replicas',
      (n) => edited(webDeployment(n), (o) => (o.spec.replicas = 'three')),
      /expected numeric|cannot unmarshal string/,
      true,
    ],
    [
      'missing-path-type',
      (n) => edited(webIngress(n), (o) => delete o.spec.rules[0].http.paths[0].pathType),
      'pathType: Required value',
      true,
    ],
  ];
  return cases.map(([name, build, message, schema]) => ({ name, object: build(name), message, ...(schema ? { schema } : {}) }));
}

export function migrationJob(name = 'migrate', annotations: Record<string, string> = {}): Manifest {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name, namespace: 'apps', annotations },
    spec: {
      template: {
        spec: { restartPolicy: 'Never', containers: [{ name: 'migrate', image: 'registry.example.com/web:2.4.1', args: ['migrate'] }] },
      },
    },
  };
}

/**
 * Hooks, each with one mistake the API server refuses: Argo CD runs the first three (helm hooks
 * mapped to its phases, and its own), so their refusals fail the sync; the `Skip` one it never
 * applies, so nothing is refused.
 */
export function hookRefusalCases(): { refused: RefusalCase[]; skipped: Manifest } {
  const cases: [string, Record<string, string>, (job: Manifest) => void, string][] = [
    [
      'pre-install-hook',
      { 'helm.sh/hook': 'pre-install,pre-upgrade', 'helm.sh/hook-delete-policy': 'before-hook-creation' },
      (job) => (job.spec.parallelism = -1),
      'spec.parallelism: Invalid value: -1: must be greater than or equal to 0',
    ],
    [
      'post-upgrade-hook',
      { 'helm.sh/hook': 'post-upgrade', 'helm.sh/hook-weight': '5' },
      (job) => (job.spec.backoffLimit = -2),
      'spec.backoffLimit: Invalid value: -2: must be greater than or equal to 0',
    ],
    [
      'presync-hook',
      { 'argocd.argoproj.io/hook': 'PreSync', 'argocd.argoproj.io/hook-delete-policy': 'HookSucceeded' },
      (job) => (job.spec.ttlSecondsAfterFinished = -1),
      'spec.ttlSecondsAfterFinished: Invalid value: -1: must be greater than or equal to 0',
    ],
  ];
  return {
    refused: cases.map(([name, annotations, mistake, message]) => ({
      name,
      object: edited(migrationJob(name, annotations), mistake),
      message,
    })),
    skipped: edited(migrationJob('skipped-hook', { 'argocd.argoproj.io/hook': 'Skip' }), (job) => (job.spec.parallelism = -1)),
  };
}
