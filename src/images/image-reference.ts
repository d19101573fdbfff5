/**
 * A container image reference as the container runtime reads it (docker/distribution's
 * `reference.ParseNormalizedNamed`, which containerd and the kubelet use): a first path
 * component with a `.` or `:`, or `localhost`, is a registry; otherwise the image is on Docker
 * Hub, and a one-component name is under `library/`.
 */
export interface ImageReference {
  /** As the manifest writes it. */
  written: string;
  /** `docker.io`, `ghcr.io`, `127.0.0.1:5000`. */
  registry: string;
  /** `library/nginx`, `cilium/cilium`. */
  repository: string;
  /** The tag; `latest` when neither tag nor digest is written. */
  tag?: string;
  /** `sha256:...`; when both are written the runtime pulls the digest. */
  digest?: string;
}

const DOCKER_HUB = 'docker.io';
const DOCKER_HUB_ALIASES = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io']);
const REPOSITORY = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]{32,}$/;

/** Parses an image reference; undefined when it is not one (a template left unrendered, a typo the runtime refuses). */
export function parseImageReference(written: string): ImageReference | undefined {
  const [name, digest, ...rest] = written.split('@');
  if (!name || rest.length > 0 || (digest !== undefined && !DIGEST.test(digest))) return undefined;
  const slash = name.indexOf('/');
  const first = slash === -1 ? '' : name.slice(0, slash);
  const hasRegistry = first.includes('.') || first.includes(':') || first === 'localhost';
  const registry = hasRegistry ? (DOCKER_HUB_ALIASES.has(first) ? DOCKER_HUB : first) : DOCKER_HUB;
  let path = hasRegistry ? name.slice(slash + 1) : name;
  const colon = path.lastIndexOf(':');
  const tag = colon === -1 ? undefined : path.slice(colon + 1);
  if (colon !== -1) path = path.slice(0, colon);
  if (tag !== undefined && !TAG.test(tag)) return undefined;
  const repository = registry === DOCKER_HUB && !path.includes('/') ? `library/${path}` : path;
  if (!REPOSITORY.test(repository)) return undefined;
  const reference: ImageReference = { written, registry, repository };
  if (digest !== undefined) reference.digest = digest;
  else reference.tag = tag ?? 'latest';
  return reference;
}

/** The reference crane is given, and the key an image is looked up under once per run: `registry/repository:tag` or `@digest`. */
export function canonicalImage(reference: ImageReference): string {
  return `${reference.registry}/${reference.repository}${reference.digest ? `@${reference.digest}` : `:${reference.tag}`}`;
}

/**
 * How a registry is spoken to. Loopback (127.0.0.0/8, `localhost`, `*.localhost`, `[::1]`) over
 * plain HTTP, as Docker and containerd do by default; every other registry over HTTPS only. crane
 * itself would also fall back to plain HTTP for RFC 1918 addresses (pkg/name/registry.go
 * `isRFC1918`), which no flag turns off: such a registry is not checked rather than spoken to
 * (with credentials) over plain HTTP.
 */
export type RegistryTransport = 'plain-http' | 'https' | 'private-address';

export function registryTransport(registry: string): RegistryTransport {
  const host = registry.startsWith('[') ? registry.slice(0, registry.indexOf(']') + 1) : registry.replace(/:\d+$/, '');
  if (host === 'localhost' || host.endsWith('.localhost') || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host)) return 'plain-http';
  const octets = /^(\d+)\.(\d+)\.\d+\.\d+$/.exec(host);
  if (octets) {
    const [a, b] = [Number(octets[1]), Number(octets[2])];
    if (a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168)) return 'private-address';
  }
  return 'https';
}
