import type { ErrorObject } from 'ajv';
import { isCredentialName } from '../../diff/credential-keys.js';
import { containsCredential } from '../../diff/secret-mask.js';
import { FORMAT_EXAMPLES } from './kubernetes-formats.js';
import { pointerSegments, type PathSegments } from '../findings/json-path.js';
import { LIST_MAP_KEYS_KEYWORD } from './schema-conversion.js';

/** What a finding's `rule` says about a schema violation. */
export type ViolationRule = 'unknown-field' | 'missing-field' | 'invalid-value' | 'duplicate-list-entry';

export interface Violation {
  /** Where the offending value is (for a missing field: the object that lacks it). */
  segments: PathSegments;
  rule: ViolationRule;
  message: string;
}

/** Longest quoted value in a message; longer values are cut. */
export const QUOTED_VALUE_LIMIT = 80;
/** An unknown field's message lists the allowed fields when there are at most this many. */
const LISTED_FIELDS_LIMIT = 12;

/** Turns Ajv's errors into messages a person can act on. */
export interface DescribeOptions {
  /** Keep values out of messages (Secret data must never reach a log or comment). */
  hideValues: boolean;
}

export function describeViolations(errors: readonly ErrorObject[], root: unknown, options: DescribeOptions): Violation[] {
  const result: Violation[] = [];
  const seen = new Set<string>();
  // The nullable wrapper's `if` and the branches of anyOf/oneOf are summarised by their parent error...
  const relevant = errors.filter(
    (error) => error.keyword !== 'if' && !/\/(anyOf|oneOf)\/\d+\//.test(error.schemaPath) && !/\/not\//.test(error.schemaPath),
  );
  // ...and that summary says nothing more when the same value has a precise error (int-or-string's anyOf).
  const precise = new Set(
    relevant.filter((error) => error.keyword !== 'anyOf' && error.keyword !== 'oneOf').map((error) => error.instancePath),
  );
  for (const error of relevant) {
    if ((error.keyword === 'anyOf' || error.keyword === 'oneOf') && precise.has(error.instancePath)) continue;
    const violation = describe(error, root, options);
    const key = `${violation.segments.join('\u0000')}\u0001${violation.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    result.push(violation);
  }
  return result;
}

function describe(error: ErrorObject, root: unknown, { hideValues: hideAll }: DescribeOptions): Violation {
  const segments = pointerSegments(error.instancePath, root);
  const hideValues = hideAll || isCredentialLocation(segments, root, error.data);
  const value = describeValue(error.data, hideValues);
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'additionalProperties': {
      const field = String(params.additionalProperty);
      const known = Object.keys(((error.parentSchema as { properties?: object } | undefined)?.properties ?? {}) as object);
      return {
        segments: [...segments, field],
        rule: 'unknown-field',
        message: `unknown field ${JSON.stringify(field)}${unknownFieldHint(field, known)}`,
      };
    }
    case 'required':
      return { segments, rule: 'missing-field', message: `missing required field ${JSON.stringify(String(params.missingProperty))}` };
    case 'type': {
      const expected = String(params.type)
        .split(',')
        .filter((type) => type !== 'null');
      return {
        segments,
        rule: 'invalid-value',
        message: `expected ${expected.join(' or ')}, got ${value}${quotedScalarHint(error.data, expected)}`,
      };
    }
    case 'enum': {
      const allowed = (params.allowedValues as unknown[]).filter((item) => item !== null);
      return {
        segments,
        rule: 'invalid-value',
        message: `${value} is not one of the allowed values: ${allowed.map((item) => JSON.stringify(item)).join(', ')}`,
      };
    }
    case 'format': {
      const format = String(params.format);
      const example = FORMAT_EXAMPLES[format];
      return { segments, rule: 'invalid-value', message: `${value} is not a valid ${format}${example ? ` (${example})` : ''}` };
    }
    case 'pattern':
      return { segments, rule: 'invalid-value', message: `${value} does not match the pattern ${String(params.pattern)}` };
    case 'anyOf':
    case 'oneOf':
      return {
        segments,
        rule: 'invalid-value',
        message: `${value} matches ${error.keyword === 'oneOf' && params.passingSchemas ? 'more than one' : 'none'} of the allowed forms`,
      };
    case 'uniqueItems':
      return {
        segments,
        rule: 'duplicate-list-entry',
        message:
          `items [${Math.min(Number(params.i), Number(params.j))}] and [${Math.max(Number(params.i), Number(params.j))}] are ` +
          `the same; the list must not repeat entries`,
      };
    case LIST_MAP_KEYS_KEYWORD:
      return {
        segments,
        rule: 'duplicate-list-entry',
        message: hideValues ? `duplicate entries for the list keys ${(params.keys as string[]).join('/')}` : String(error.message),
      };
    default:
      return { segments, rule: 'invalid-value', message: `${value} ${error.message ?? 'is invalid'}` };
  }
}

/**
 * Whether the value at `segments` may be a credential, so that a message must not quote it: a
 * credential-like key on the way (`auth.password`, `spec.clientSecret`, `data`/`stringData` of a
 * Secret at any depth), the value of an `{name: DB_PASSWORD, value: x}` item, the item after a
 * `--token` flag, or text the diff's masking would hide (a Bearer token, a URL password).
 */
export function isCredentialLocation(segments: PathSegments, root: unknown, data: unknown): boolean {
  let node: unknown = root;
  for (let index = 0; index < segments.length; index++) {
    const segment = segments[index]!;
    if (isRecord(node) && node.kind === 'Secret' && (segment === 'data' || segment === 'stringData')) return true;
    if (typeof segment === 'string' && isCredentialName(segment)) return true;
    if (segment === 'value' && isRecord(node) && typeof node.name === 'string' && isCredentialName(node.name)) return true;
    if (
      typeof segment === 'number' &&
      Array.isArray(node) &&
      typeof node[segment - 1] === 'string' &&
      /^--?[A-Za-z0-9_.-]+$/.test(node[segment - 1] as string) &&
      isCredentialName((node[segment - 1] as string).replace(/^-+/, ''))
    )
      return true;
    node = isRecord(node) || Array.isArray(node) ? (node as Record<string | number, unknown>)[segment] : undefined;
  }
  return typeof data === 'string' && containsCredential(data);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describeValue(data: unknown, hide: boolean): string {
  if (data === null) return 'null';
  if (Array.isArray(data)) return 'a list';
  switch (typeof data) {
    case 'object':
      return 'an object';
    case 'string':
      return hide ? 'a string (value hidden)' : `string ${quote(data)}`;
    case 'number':
      return hide ? 'a number (value hidden)' : `${Number.isInteger(data) ? 'integer' : 'number'} ${data}`;
    case 'boolean':
      return hide ? 'a boolean (value hidden)' : `boolean ${data}`;
    default:
      return typeof data;
  }
}

function quote(text: string): string {
  const cut = text.length > QUOTED_VALUE_LIMIT ? `${text.slice(0, QUOTED_VALUE_LIMIT)}…` : text;
  return JSON.stringify(cut);
}

/** A number or boolean written in quotes is the most common type mistake in Helm values. */
function quotedScalarHint(data: unknown, expected: string[]): string {
  if (typeof data !== 'string') return '';
  if (
    (expected.includes('integer') && /^-?\d+$/.test(data)) ||
    (expected.includes('number') && /^-?\d+(\.\d+)?$/.test(data)) ||
    (expected.includes('boolean') && /^(true|false)$/.test(data))
  ) {
    return '; write it without quotes (in a template: drop `quote`, or use `int`/`toYaml`)';
  }
  if (expected.includes('object') || expected.includes('array'))
    return `; this field takes ${expected.includes('object') ? 'an object' : 'a list'}, not a string`;
  return '';
}

function unknownFieldHint(field: string, known: string[]): string {
  if (known.length === 0) return ' (no fields are allowed here)';
  const close = closestName(field, known);
  if (close) return `; did you mean ${JSON.stringify(close)}?`;
  const sorted = [...known].sort();
  return sorted.length <= LISTED_FIELDS_LIMIT ? `; allowed here: ${sorted.join(', ')}` : '';
}

/** The known field a typo most likely meant: same letters ignoring case, or at most 2 edits away. */
function closestName(field: string, known: string[]): string | undefined {
  const lower = field.toLowerCase();
  const sameCase = known.find((name) => name.toLowerCase() === lower);
  if (sameCase) return sameCase;
  let best: string | undefined;
  let bestDistance = Math.min(2, Math.floor(field.length / 3));
  for (const name of known) {
    const distance = editDistance(lower, name.toLowerCase());
    if (distance <= bestDistance && (best === undefined || distance < bestDistance || name < best)) {
      best = name;
      bestDistance = distance;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 2) return 3;
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}
