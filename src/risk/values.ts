/** Small helpers over parsed Kubernetes objects (plain JSON values). */

export type JsonObject = Record<string, unknown>;

export function isRecord(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The value at a dotted path (`spec.template.spec`), undefined when any step is missing. */
export function valueAt(object: unknown, path: string): unknown {
  let current: unknown = object;
  for (const step of path.split('.')) {
    if (!isRecord(current)) return undefined;
    current = current[step];
  }
  return current;
}

/**
 * JSON with object keys sorted: equal for deeply equal values. Integers beyond 2^53 are BigInt in
 * parsed manifests; they are written as their exact digits (as strings), never rounded.
 */
export function canonicalJson(value: unknown): string {
  if (typeof value === 'bigint') return value.toString();
  return (
    JSON.stringify(value, (_, item: unknown) =>
      typeof item === 'bigint'
        ? item.toString()
        : isRecord(item)
          ? Object.fromEntries(
              Object.keys(item)
                .sort()
                .map((key) => [key, item[key]]),
            )
          : item,
    ) ?? 'undefined'
  );
}

export function deepEqual(a: unknown, b: unknown): boolean {
  return canonicalJson(a) === canonicalJson(b);
}

/** Longest value quoted in a risk; a selector or a claim template fits, a whole pod spec does not. */
export const MAX_QUOTED_VALUE = 160;

/** A value as a risk quotes it: compact JSON, `(unset)` when absent, cut at MAX_QUOTED_VALUE. */
export function quoteValue(value: unknown): string {
  if (value === undefined) return '(unset)';
  const text = typeof value === 'string' ? value : canonicalJson(value);
  return text.length > MAX_QUOTED_VALUE ? `${text.slice(0, MAX_QUOTED_VALUE - 1)}…` : text;
}

/** The top-level keys whose values differ between two objects (sorted). */
export function changedKeys(a: JsonObject | undefined, b: JsonObject | undefined): string[] {
  const keys = [...new Set([...Object.keys(a ?? {}), ...Object.keys(b ?? {})])].sort();
  return keys.filter((key) => !deepEqual(a?.[key], b?.[key]));
}

const BINARY_SUFFIXES: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };
const DECIMAL_SUFFIXES: Record<string, number> = { n: 1e-9, u: 1e-6, m: 1e-3, '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 };

/** A Kubernetes quantity (`10Gi`, `500M`, `1.5e3`) as a number; undefined when it is not one. */
export function parseQuantity(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value !== 'string') return undefined;
  const match = /^([+-]?(?:\d+\.?\d*|\.\d+))(?:([eE][+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E)?)$/.exec(value.trim());
  if (!match) return undefined;
  const number = Number(match[1]! + (match[2] ?? ''));
  const suffix = match[3] ?? '';
  return number * (BINARY_SUFFIXES[suffix] ?? DECIMAL_SUFFIXES[suffix]!);
}
