/** Keys under which pod specs list containers. */
const CONTAINER_LISTS = new Set(['containers', 'initContainers', 'ephemeralContainers']);

/** Deeper than any pod spec sits in a workload or a custom resource embedding one. */
const MAX_POD_SPEC_DEPTH = 12;

/** One container's image and where the object holds it. */
export interface ContainerImage {
  /** The container's name (`initContainers` prefixed `init:`, `ephemeralContainers` `ephemeral:`). */
  container: string;
  image: string;
  /** JSON path of the image: `.spec.template.spec.containers[0].image`. */
  path: string;
}

/**
 * Every container image of an object, wherever a pod spec sits: Deployment, CronJob, custom
 * resources embedding pod templates.
 */
export function containerImageLocations(object: unknown): ContainerImage[] {
  const found: ContainerImage[] = [];
  const walk = (value: unknown, path: string, depth: number) => {
    if (depth > MAX_POD_SPEC_DEPTH || typeof value !== 'object' || value === null) return;
    if (Array.isArray(value)) {
      value.forEach((item, index) => walk(item, `${path}[${index}]`, depth + 1));
      return;
    }
    for (const [key, child] of Object.entries(value)) {
      if (CONTAINER_LISTS.has(key) && Array.isArray(child)) {
        child.forEach((container: unknown, index) => {
          const { name, image } = (container ?? {}) as { name?: unknown; image?: unknown };
          if (typeof name === 'string' && typeof image === 'string')
            found.push({
              container: key === 'containers' ? name : `${key.replace(/Containers$/, '')}:${name}`,
              image,
              path: `${path}.${key}[${index}].image`,
            });
        });
      } else {
        walk(child, `${path}.${key}`, depth + 1);
      }
    }
  };
  walk(object, '', 0);
  return found;
}

/** Container images of a workload, by container name (see containerImageLocations). */
export function containerImages(object: unknown): Map<string, string> {
  return new Map(containerImageLocations(object).map(({ container, image }) => [container, image]));
}
