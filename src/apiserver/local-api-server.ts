import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { onProcessEnd } from '../process/last-resort.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BackgroundProgram } from '../process/background-program.js';
import { childEnvironment } from '../tools/child-environment.js';
import type { ApiServerBinaries } from '../tools/api-server-resolve.js';
import { freeLoopbackPort } from './free-port.js';
import { KubeClient } from './kube-client.js';

/** How long the control plane may take to answer `/readyz` (2.5-3.2 s measured on 2 cores; CI machines vary). */
const READY_TIMEOUT_MS = 90_000;
const READY_POLL_MS = 100;
/** The server's own limit on one request; the client waits a little longer (see KubeClient). */
export const REQUEST_TIMEOUT_SECONDS = 300;

/** The cluster IP range kubeadm uses by default (`--service-cidr`), so Services allocate as they would there. */
export const SERVICE_CLUSTER_IP_RANGE = '10.96.0.0/12';

/**
 * The flags a kubeadm or k0s control plane runs with that decide what the API server accepts:
 * privileged pods allowed, RBAC on. The ServiceAccount admission plugin is off as in envtest: it
 * waits for a controller that creates the `default` ServiceAccount, and no controller runs here.
 */
export function apiServerArguments(options: {
  /** True when a controller-manager runs beside the server (it creates each namespace's `default` ServiceAccount). */
  serviceAccountAdmission?: boolean;
  etcdUrl: string;
  port: number;
  directory: string;
  tokenFile: string;
  publicKeyFile: string;
  privateKeyFile: string;
}): string[] {
  return [
    `--etcd-servers=${options.etcdUrl}`,
    '--bind-address=127.0.0.1',
    '--advertise-address=127.0.0.1',
    `--secure-port=${options.port}`,
    `--cert-dir=${join(options.directory, 'certs')}`,
    `--token-auth-file=${options.tokenFile}`,
    '--authorization-mode=RBAC',
    '--allow-privileged=true',
    `--service-cluster-ip-range=${SERVICE_CLUSTER_IP_RANGE}`,
    '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
    `--service-account-key-file=${options.publicKeyFile}`,
    `--service-account-signing-key-file=${options.privateKeyFile}`,
    ...(options.serviceAccountAdmission ? [] : ['--disable-admission-plugins=ServiceAccount']),
    '--endpoint-reconciler-type=none',
    '--profiling=false',
    // A multi-megabyte CRD applied on a loaded 2-core machine takes longer than the default minute.
    `--request-timeout=${REQUEST_TIMEOUT_SECONDS}s`,
  ];
}

export function etcdArguments(options: { directory: string; clientPort: number; peerPort: number }): string[] {
  const client = `http://127.0.0.1:${options.clientPort}`;
  const peer = `http://127.0.0.1:${options.peerPort}`;
  return [
    `--data-dir=${join(options.directory, 'etcd')}`,
    `--listen-client-urls=${client}`,
    `--advertise-client-urls=${client}`,
    `--listen-peer-urls=${peer}`,
    `--initial-advertise-peer-urls=${peer}`,
    `--initial-cluster=default=${peer}`,
    '--name=default',
    // Nothing here outlives the run: durability costs seconds and buys nothing.
    '--unsafe-no-fsync',
    '--log-level=error',
  ];
}

/** How a program of the local cluster reaches the API server: the URL, the run's token, the server's own certificate. */
export interface ApiServerAccess {
  url: string;
  token: string;
  certificateFile: string;
  /** The ServiceAccount signing key pair (the controller-manager signs tokens with the private key). */
  publicKeyFile: string;
  privateKeyFile: string;
}

/**
 * A kube-apiserver with its own etcd on 127.0.0.1, for one run: random ports, a temporary data
 * directory, a bearer token only this run knows. It never talks to any other cluster. `stop()`
 * removes everything; a process that ends early (crash, signal) kills both programs.
 */
export class LocalApiServer {
  private constructor(
    readonly version: string,
    readonly client: KubeClient,
    private readonly programs: BackgroundProgram[],
    readonly directory: string,
    private readonly forgetDirectory: () => void,
    /** What the controllers, the scheduler and KWOK need to reach this server (see `kubeconfig`). */
    readonly access: ApiServerAccess,
  ) {}

  static async start(binaries: ApiServerBinaries, options: { serviceAccountAdmission?: boolean } = {}): Promise<LocalApiServer> {
    const directory = await mkdtemp(join(tmpdir(), 'helmfile-hydrate-apiserver-'));
    // Registered before the programs: on a signal the programs are killed first, then this runs.
    const forgetDirectory = onProcessEnd(() => rmSync(directory, { recursive: true, force: true }));
    const programs: BackgroundProgram[] = [];
    try {
      const token = randomBytes(32).toString('hex');
      const files = await writeCredentials(directory, token);
      const [clientPort, peerPort, port] = [await freeLoopbackPort(), await freeLoopbackPort(), await freeLoopbackPort()];
      const env = childEnvironment(process.env);
      const etcd = new BackgroundProgram(binaries.paths.etcd, etcdArguments({ directory, clientPort, peerPort }), { env });
      programs.push(etcd);
      const apiServer = new BackgroundProgram(
        binaries.paths['kube-apiserver'],
        apiServerArguments({ etcdUrl: `http://127.0.0.1:${clientPort}`, port, directory, ...files, ...options }),
        { env },
      );
      programs.push(apiServer);
      const client = await waitUntilReady(port, token, directory, [etcd, apiServer]);
      const access = { url: client.baseUrl, token, certificateFile: join(directory, 'certs', 'apiserver.crt'), ...files };
      return new LocalApiServer(binaries.version, client, programs, directory, forgetDirectory, access);
    } catch (error) {
      await Promise.all(programs.map((program) => program.stop(0)));
      await rm(directory, { recursive: true, force: true });
      forgetDirectory();
      throw error;
    }
  }

  /** Stops both programs and removes the data directory; safe to call twice. */
  async stop(): Promise<void> {
    this.client.close();
    // Nothing of this server is kept: a graceful shutdown (seconds for kube-apiserver) buys nothing.
    await Promise.all(this.programs.map((program) => program.stop(0)));
    await rm(this.directory, { recursive: true, force: true });
    this.forgetDirectory();
  }
}

async function writeCredentials(directory: string, token: string) {
  const tokenFile = join(directory, 'tokens.csv');
  // system:masters is the group kubeadm's admin.conf is in: every request is allowed, as for Argo CD's cluster-admin.
  await writeFile(tokenFile, `${token},helmfile-hydrate,helmfile-hydrate,"system:masters"\n`, { mode: 0o600 });
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const publicKeyFile = join(directory, 'service-account.pub');
  const privateKeyFile = join(directory, 'service-account.key');
  await writeFile(publicKeyFile, publicKey.export({ type: 'spki', format: 'pem' }));
  await writeFile(privateKeyFile, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  return { tokenFile, publicKeyFile, privateKeyFile };
}

async function waitUntilReady(port: number, token: string, directory: string, programs: BackgroundProgram[]): Promise<KubeClient> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  let lastProblem = 'no answer yet';
  while (Date.now() < deadline) {
    const dead = programs.find((program) => program.exit);
    if (dead) throw new Error(`${dead.program} ${dead.exit} while starting:\n${dead.outputTail()}`);
    const certificate = await readFile(join(directory, 'certs', 'apiserver.crt'), 'utf8').catch(() => undefined);
    if (certificate) {
      const client = new KubeClient(`https://127.0.0.1:${port}`, token, certificate);
      const ready = await client.request('GET', '/readyz').catch((error: unknown) => error as Error);
      if (!(ready instanceof Error) && ready.status === 200) return client;
      lastProblem = ready instanceof Error ? ready.message : `/readyz answered ${ready.status}: ${ready.text.slice(0, 500)}`;
      client.close();
    }
    await new Promise((resolve) => setTimeout(resolve, READY_POLL_MS));
  }
  throw new Error(
    `the local API server was not ready after ${READY_TIMEOUT_MS / 1000} s (${lastProblem}); its last output:\n` +
      programs.map((program) => `${program.program}:\n${program.outputTail()}`).join('\n'),
  );
}
