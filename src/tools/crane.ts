import { runProgram } from '../process/run-program.js';
import { childEnvironment } from './child-environment.js';

/**
 * One registry request must not hold the check up: crane's own retries of a 5xx or 429 take
 * 1 s + 3 s (go-containerregistry's default backoff, pkg/v1/remote/options.go), so 20 s is an
 * answer that will not come. The registry is then "not checked", never retried.
 */
export const CRANE_TIMEOUT_MS = 20_000;

/** How crane reaches a registry and with which credentials. */
export interface CraneOptions {
  /** The crane binary (resolved from tools.json). */
  binary: string;
  /** A directory holding `config.json` (docker's format) with the registries' credentials; absent: crane's default (`~/.docker`). */
  dockerConfigDirectory?: string;
  timeoutMs?: number;
}

/** Why a registry request failed, as far as the registry's answer tells. */
export type CraneFailureKind =
  /** 404 MANIFEST_UNKNOWN / NAME_UNKNOWN: the tag, digest or repository does not exist. */
  | 'missing'
  /** 401/403: the registry wants (other) credentials. */
  | 'denied'
  /** 429 TOOMANYREQUESTS: Docker Hub's anonymous limit and the like. */
  | 'rate-limited'
  /** No answer: connection refused, DNS, TLS, timeout. */
  | 'unreachable'
  | 'other';

export type CraneResult = { ok: true; stdout: string } | { ok: false; kind: CraneFailureKind; message: string };

/** Where the registry answered, and what it said: the request kind goes with crane's last `Error:` line (pure). */
export function classifyCraneError(stderr: string): { kind: CraneFailureKind; message: string } {
  const errorLine = stderr
    .split('\n')
    .reverse()
    .find((line) => line.startsWith('Error: '));
  const message = (errorLine ?? stderr.trim().split('\n').pop() ?? '').replace(/^Error: /, '').trim();
  const kinds: [CraneFailureKind, RegExp][] = [
    // A 404 counts only for a manifest: one on `/v2/` says the host is no registry, not that the image is missing.
    ['missing', /MANIFEST_UNKNOWN|NAME_UNKNOWN|\/manifests\/[^ ]*: (unexpected status code 404|404 Not Found)/],
    ['rate-limited', /TOOMANYREQUESTS|status code 429|429 Too Many Requests/],
    ['denied', /UNAUTHORIZED|DENIED|status code 40[13]|40[13] (Unauthorized|Forbidden)/],
    ['unreachable', /connection refused|no such host|i\/o timeout|network is unreachable|tls:|x509:|TLS handshake|EOF|server misbehaving/],
  ];
  return { kind: kinds.find(([, pattern]) => pattern.test(message))?.[0] ?? 'other', message: message || 'crane failed without a message' };
}

/** Runs one crane command; never throws for a failed request (the caller decides what it means). */
async function runCrane(args: readonly string[], options: CraneOptions & { plainHttp: boolean }): Promise<CraneResult> {
  const env = childEnvironment(process.env, options.dockerConfigDirectory ? { DOCKER_CONFIG: options.dockerConfigDirectory } : {});
  // --insecure lets crane speak plain HTTP; only loopback registries get it (see registryTransport).
  const result = await runProgram(options.binary, [...(options.plainHttp ? ['--insecure'] : []), ...args], {
    env,
    timeoutMs: options.timeoutMs ?? CRANE_TIMEOUT_MS,
  });
  if (result.interruption)
    return { ok: false, kind: 'unreachable', message: `no answer within ${(options.timeoutMs ?? CRANE_TIMEOUT_MS) / 1000} s` };
  if (result.exitCode === 0) return { ok: true, stdout: result.stdout };
  return { ok: false, ...classifyCraneError(result.stderr) };
}

/**
 * The digest a tag points to: a HEAD request (which Docker Hub does not count against its pull
 * limit); crane falls back to one GET when the registry does not answer HEAD with a digest.
 */
export function craneDigest(reference: string, options: CraneOptions & { plainHttp: boolean }): Promise<CraneResult> {
  return runCrane(['digest', reference], options);
}

/** The manifest or index `repository@digest` names, as the registry stores it (crane checks its digest). */
export function craneManifest(reference: string, options: CraneOptions & { plainHttp: boolean }): Promise<CraneResult> {
  return runCrane(['manifest', reference], options);
}

/** A blob (an image's config) by `repository@digest`. */
export function craneBlob(reference: string, options: CraneOptions & { plainHttp: boolean }): Promise<CraneResult> {
  return runCrane(['blob', reference], options);
}
