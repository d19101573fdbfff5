/** A location in a resource: object keys and list indexes from the root. */
export type PathSegments = readonly (string | number)[];

/** Keys written with a dot (as jq and yq read them); others are quoted. */
const PLAIN_KEY = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/**
 * `.spec.template.spec.containers[0].image`; keys that are not plain names are quoted:
 * `.metadata.labels["app.kubernetes.io/name"]`. '' is the whole resource.
 */
export function formatJsonPath(segments: PathSegments): string {
  return segments
    .map((segment) =>
      typeof segment === 'number' ? `[${segment}]` : PLAIN_KEY.test(segment) ? `.${segment}` : `[${JSON.stringify(segment)}]`,
    )
    .join('');
}

/** Turns Ajv's JSON pointer into segments; indexes are numbers where the value there is a list. */
export function pointerSegments(pointer: string, root: unknown): (string | number)[] {
  if (pointer === '') return [];
  const segments: (string | number)[] = [];
  let value: unknown = root;
  for (const raw of pointer.slice(1).split('/')) {
    const key = raw.replaceAll('~1', '/').replaceAll('~0', '~');
    if (Array.isArray(value)) {
      const index = Number(key);
      segments.push(index);
      value = value[index];
    } else {
      segments.push(key);
      value = typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
    }
  }
  return segments;
}
