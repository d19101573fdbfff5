/** Keys under which pod specs list containers. */
const CONTAINER_LISTS = new Set(['containers', 'initContainers', 'ephemeralContainers']);

/**
 * Container images of a workload, by container name (`initContainers` prefixed `init:`), found
 * wherever a pod spec sits: Deployment, CronJob, custom resources embedding pod templates.
 */
export function containerImages(object: unknown): Map<string, string> {
  const images = new Map<string, string>();
  const walk = (value: unknown, depth: number) => {
    if (depth > 12 || typeof value !== 'object' || value === null) return;
    if (Array.isArray(value)) {
      for (const item of value) walk(item, depth + 1);
      return;
    }
    for (const [key, child] of Object.entries(value)) {
      if (CONTAINER_LISTS.has(key) && Array.isArray(child)) {
        for (const container of child) {
          const { name, image } = (container ?? {}) as { name?: unknown; image?: unknown };
          if (typeof name === 'string' && typeof image === 'string')
            images.set(key === 'containers' ? name : `${key.replace(/Containers$/, '')}:${name}`, image);
        }
      } else {
        walk(child, depth + 1);
      }
    }
  };
  walk(object, 0);
  return images;
}
