import { parseDocument, Scalar, visit, type Document, type DocumentOptions, type ParseOptions, type SchemaOptions } from 'yaml';

/**
 * YAML read the way Kubernetes reads it.
 *
 * kubectl, Argo CD and the API server decode manifests with sigs.k8s.io/yaml, a fork of
 * go-yaml v2: YAML 1.1 plain scalars, so `0400` is 256 (octal), `yes`/`on`/`y` are true and
 * `1_000` is 1000. The `yaml` package's YAML 1.2 core schema reads `0400` as 400 and `yes` as a
 * string, which once committed `defaultMode: 0400` as `400` (mode 0620). Every reader of
 * rendered or committed manifests in this project goes through this module.
 *
 * Documents are parsed with the failsafe schema (every scalar a string, nothing lost) and
 * each untagged plain scalar is then resolved by `resolvePlainScalar`, a port of go-yaml v2's
 * `resolve` rules: only plain scalars are resolved, quoted and block scalars stay strings.
 */
export const KUBERNETES_YAML_OPTIONS: ParseOptions & DocumentOptions & SchemaOptions = {
  schema: 'failsafe',
  merge: true,
  uniqueKeys: true,
};

/** Values beyond 2^53 would silently round as JavaScript numbers (9007199254740993 -> ...992). */
const MAX_EXACT = BigInt(Number.MAX_SAFE_INTEGER);
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const UINT64_MAX = 2n ** 64n - 1n;

const BOOLEANS: Record<string, boolean> = {};
for (const word of ['y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON']) BOOLEANS[word] = true;
for (const word of ['n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF']) BOOLEANS[word] = false;
const NULLS = new Set(['', '~', 'null', 'Null', 'NULL']);
const SPECIAL_FLOATS: Record<string, number> = {
  '.nan': NaN,
  '.NaN': NaN,
  '.NAN': NaN,
  '.inf': Infinity,
  '.Inf': Infinity,
  '.INF': Infinity,
  '+.inf': Infinity,
  '+.Inf': Infinity,
  '+.INF': Infinity,
  '-.inf': -Infinity,
  '-.Inf': -Infinity,
  '-.INF': -Infinity,
};
/** go-yaml v2's `yamlStyleFloat`. */
const YAML_STYLE_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
/** go-yaml v2's `parseTimestamp` layouts; such values decode to strings in an untyped object. */
const TIMESTAMP = /^\d{4}-\d{1,2}-\d{1,2}(?:(?:[Tt]| )\d{1,2}:\d{1,2}:\d{1,2}(?:\.\d+)?(?:Z|[-+]\d{2}:\d{2})?)?$/;

/**
 * The value go-yaml v2 gives an untagged plain scalar: null, a boolean, an integer (Go's
 * `strconv.ParseInt(s, 0, 64)` after removing `_`: `0x`, `0o`, `0b` and leading-zero octal), a
 * float, or the string itself. Integers outside JavaScript's exact range become BigInt.
 */
export function resolvePlainScalar(source: string): unknown {
  if (NULLS.has(source)) return null;
  if (source in BOOLEANS) return BOOLEANS[source];
  if (source in SPECIAL_FLOATS) return SPECIAL_FLOATS[source];
  if (source === '<<') return source;
  const first = source[0]!;
  if (first === '.') {
    return /^\.[0-9]+([eE][-+]?[0-9]+)?$/.test(source) ? Number(source) : source;
  }
  if (!/[-+0-9]/.test(first)) return source;
  if (TIMESTAMP.test(source)) return source;
  const plain = source.replaceAll('_', '');
  const integer = parseGoInteger(plain);
  if (integer !== undefined) return integer;
  if (YAML_STYLE_FLOAT.test(plain)) return Number(plain);
  return source;
}

/** Go's ParseInt/ParseUint with base 0 (the signed range, then the unsigned one). */
function parseGoInteger(text: string): number | bigint | undefined {
  const match = /^([-+]?)(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)$/.exec(text);
  if (!match) return undefined;
  const [, sign, digits] = match as unknown as [string, string, string];
  let magnitude: bigint;
  if (/^0[oO]/.test(digits)) magnitude = BigInt(`0o${digits.slice(2)}`);
  else if (/^0[0-7]+$/.test(digits)) magnitude = BigInt(`0o${digits.slice(1)}`);
  else magnitude = BigInt(digits.toLowerCase());
  const value = sign === '-' ? -magnitude : magnitude;
  if (value < INT64_MIN || value > (sign === '-' ? INT64_MAX : UINT64_MAX)) return undefined;
  return value > MAX_EXACT || value < -MAX_EXACT ? value : Number(value);
}

/** Tags whose value go-yaml v2 resolves from the text; any other explicit tag keeps the string. */
const RESOLVED_TAGS = new Set(['tag:yaml.org,2002:int', 'tag:yaml.org,2002:float', 'tag:yaml.org,2002:bool', 'tag:yaml.org,2002:null']);

/** Gives every scalar of a failsafe-parsed document the value Kubernetes reads. */
export function resolveKubernetesScalars(document: Document): Document {
  visit(document, {
    Scalar(_key, node) {
      if (typeof node.value !== 'string') return;
      const explicit = node.tag && node.tag !== '!' ? node.tag : undefined;
      if (explicit ? RESOLVED_TAGS.has(explicit) : node.type === Scalar.PLAIN) node.value = resolvePlainScalar(node.value);
    },
  });
  return document;
}

/** One YAML document, read as Kubernetes reads it (see KUBERNETES_YAML_OPTIONS). */
export function parseKubernetesDocument(text: string, options: ParseOptions & DocumentOptions = {}): Document {
  return resolveKubernetesScalars(parseDocument(text, { ...KUBERNETES_YAML_OPTIONS, ...options }));
}

/**
 * The plain value of a document (objects, arrays, scalars), with anchors and merge keys expanded.
 * Unsafe integers stay BigInt; JSON.stringify callers use `kubernetesJsonReplacer`.
 */
export function kubernetesValue(document: Document): unknown {
  return document.toJS({ maxAliasCount: 100 });
}

/** For JSON.stringify of values that may hold BigInt integers: writes them as the exact number. */
export function kubernetesJsonReplacer(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? Number(value) : value;
}

/** The text of a value as a YAML plain scalar when Kubernetes reads that back as the same string, else JSON-quoted. */
export function yamlStringScalar(value: string): string {
  if (/^[A-Za-z0-9][A-Za-z0-9._/-]*$/.test(value) && resolvePlainScalar(value) === value) return value;
  return JSON.stringify(value);
}
