import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { BackgroundProgram } from '../process/background-program.js';
import type { ApiServerAccess } from '../apiserver/local-api-server.js';
import { childEnvironment } from '../tools/child-environment.js';
import type { ControllerBinaries } from '../tools/kube-controllers.js';
import { KWOK_STAGES } from './kwok-stages.js';

/** The annotation that tells KWOK a node is one it plays; nodes without it are left alone. */
export const KWOK_NODE_ANNOTATION = 'kwok.x-k8s.io/node';
export const KWOK_NODE_ANNOTATION_VALUE = 'fake';

/** The binaries of the rehearsal level: the controllers and the scheduler, and KWOK. */
export interface SchedulingBinaries {
  controllers: ControllerBinaries;
  kwok: string;
}

/**
 * Controllers the rehearsal does not want: those that act for a cloud or for real kubelets, and
 * the node lifecycle controller, which would take the drill's lost node back (it clears the
 * taints of a node KWOK still reports Ready).
 */
const DISABLED_CONTROLLERS = [
  'nodelifecycle',
  'nodeipam',
  'cloud-node-lifecycle',
  'service-lb-controller',
  'node-route-controller',
  'csrsigning',
  'csrapproving',
  'csrcleaner',
  'ttl',
  'ttl-after-finished-controller',
];

export function controllerManagerArguments(kubeconfig: string, access: ApiServerAccess): string[] {
  return [
    `--kubeconfig=${kubeconfig}`,
    '--leader-elect=false',
    // Nothing asks the controller-manager anything: no port is opened.
    '--secure-port=0',
    `--service-account-private-key-file=${access.privateKeyFile}`,
    `--root-ca-file=${access.certificateFile}`,
    `--controllers=*,${DISABLED_CONTROLLERS.map((name) => `-${name}`).join(',')}`,
    // A local server answers at once; the client-side limits of a real cluster only slow the rehearsal.
    '--kube-api-qps=500',
    '--kube-api-burst=1000',
    '--concurrent-deployment-syncs=20',
    '--concurrent-replicaset-syncs=20',
    '--concurrent-statefulset-syncs=20',
    '--concurrent-daemonset-syncs=20',
    '--concurrent-job-syncs=20',
    '--v=0',
  ];
}

export function schedulerArguments(kubeconfig: string): string[] {
  return [`--kubeconfig=${kubeconfig}`, '--leader-elect=false', '--secure-port=0', '--v=0'];
}

/**
 * KWOK plays the kubelet of the nodes carrying its annotation: keeps them Ready, marks their
 * scheduled pods Running and Ready (and Job pods Succeeded). It serves nothing.
 */
export function kwokArguments(kubeconfig: string, stages: string): string[] {
  return [
    `--kubeconfig=${kubeconfig}`,
    // Only this file: a ~/.kwok/kwok.yaml of the machine's owner must not change what the rehearsal sees.
    `--config=${stages}`,
    '--manage-all-nodes=false',
    `--manage-nodes-with-annotation-selector=${KWOK_NODE_ANNOTATION}=${KWOK_NODE_ANNOTATION_VALUE}`,
    '--cidr=10.244.0.0/16',
    '--node-ip=10.0.0.1',
    '--server-address=',
    '--v=WARN',
  ];
}

/** A kubeconfig for the programs of the local cluster: the run's token, the server's own certificate. */
export function kubeconfigText(access: ApiServerAccess): string {
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'local', cluster: { server: access.url, 'certificate-authority': access.certificateFile } }],
    users: [{ name: 'helmfile-hydrate', user: { token: access.token } }],
    contexts: [{ name: 'local', context: { cluster: 'local', user: 'helmfile-hydrate' } }],
    'current-context': 'local',
  });
}

/**
 * Starts the controller-manager, the scheduler and KWOK against a running local API server, in
 * its directory. They are BackgroundPrograms: killed with this process whatever ends it.
 */
export async function startClusterControllers(
  binaries: SchedulingBinaries,
  access: ApiServerAccess,
  directory: string,
): Promise<BackgroundProgram[]> {
  const kubeconfig = join(directory, 'kubeconfig.json');
  await writeFile(kubeconfig, kubeconfigText(access), { mode: 0o600 });
  const stages = join(directory, 'kwok-stages.yaml');
  await writeFile(stages, KWOK_STAGES);
  const env = childEnvironment(process.env);
  return [
    new BackgroundProgram(binaries.controllers.paths['kube-controller-manager'], controllerManagerArguments(kubeconfig, access), { env }),
    new BackgroundProgram(binaries.controllers.paths['kube-scheduler'], schedulerArguments(kubeconfig), { env }),
    new BackgroundProgram(binaries.kwok, kwokArguments(kubeconfig, stages), { env, cwd: directory }),
  ];
}
