/**
 * A small, fast YAML emitter for the text that is diffed (never parsed back by this tool).
 *
 * The `yaml` library's `stringify` needs about 580 ms for a 2.2 MB CustomResourceDefinition on
 * this project's CI machine, which alone would break the "multi-megabyte environment diff in well
 * under a second" goal; this emitter writes the same block style in a few tens of milliseconds.
 * Output is deterministic (key order as rendered) and valid YAML: strings that a YAML reader
 * could take for another type, or that hold special characters, are JSON-quoted (JSON strings
 * are YAML double-quoted scalars); multi-line strings become literal blocks so a one-line change
 * inside a script or embedded config file shows as a one-line diff.
 */
export function toNormalizedYaml(value: unknown): string {
  const lines: string[] = [];
  emitValue(value, 0, lines, '');
  return lines.join('\n') + '\n';
}

const INDENT = '  ';

function emitValue(value: unknown, depth: number, lines: string[], prefix: string): void {
  if (Array.isArray(value)) {
    if (value.length === 0) {
      lines.push(`${prefix}[]`);
      return;
    }
    if (prefix) lines.push(prefix);
    emitSequence(value, depth, lines);
    return;
  }
  if (isPlainObject(value)) {
    const keys = Object.keys(value);
    if (keys.length === 0) {
      lines.push(`${prefix}{}`);
      return;
    }
    if (prefix) lines.push(prefix);
    emitMapping(value, depth, lines);
    return;
  }
  emitScalarAfter(prefix, value, depth, lines);
}

function emitMapping(map: Record<string, unknown>, depth: number, lines: string[]): void {
  const indent = INDENT.repeat(depth);
  for (const key of Object.keys(map)) {
    const child = map[key];
    const head = `${indent}${formatKey(key)}:`;
    if (Array.isArray(child)) {
      if (child.length === 0) lines.push(`${head} []`);
      else {
        // Sequences under a key sit at the key's indentation, as kubectl and helm write them.
        lines.push(head);
        emitSequence(child, depth, lines);
      }
    } else if (isPlainObject(child)) {
      if (Object.keys(child).length === 0) lines.push(`${head} {}`);
      else {
        lines.push(head);
        emitMapping(child, depth + 1, lines);
      }
    } else {
      emitScalarAfter(`${head} `, child, depth + 1, lines);
    }
  }
}

function emitSequence(items: unknown[], depth: number, lines: string[]): void {
  const indent = INDENT.repeat(depth);
  for (const item of items) {
    if (isPlainObject(item) && Object.keys(item).length > 0) {
      // `- first: key` then the rest of the mapping indented under it.
      const nested: string[] = [];
      emitMapping(item, depth + 1, nested);
      const first = nested[0]!;
      lines.push(`${indent}- ${first.slice(INDENT.length * (depth + 1))}`);
      for (let i = 1; i < nested.length; i++) lines.push(nested[i]!);
    } else if (Array.isArray(item) && item.length > 0) {
      lines.push(`${indent}-`);
      emitSequence(item, depth + 1, lines);
    } else {
      emitValue(item, depth + 1, lines, `${indent}- `);
    }
  }
}

function emitScalarAfter(prefix: string, value: unknown, depth: number, lines: string[]): void {
  if (typeof value === 'string' && value.includes('\n') && isLiteralSafe(value)) {
    const indent = INDENT.repeat(Math.max(depth, 1));
    const body = value.endsWith('\n') ? value.slice(0, -1) : value;
    const chomping = !value.endsWith('\n') ? '-' : value.endsWith('\n\n') ? '+' : '';
    // An indentation indicator is needed when the first line starts with a space.
    const indicator = /^[ ]/.test(value) ? String(INDENT.length) : '';
    lines.push(`${prefix}|${indicator}${chomping}`);
    for (const line of body.split('\n')) lines.push(line === '' ? '' : `${indent}${line}`);
    return;
  }
  lines.push(`${prefix}${formatScalar(value)}`);
}

function formatKey(key: string): string {
  return isPlainSafe(key) ? key : JSON.stringify(key);
}

function formatScalar(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return isPlainSafe(value) ? value : JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (value instanceof Date) return value.toISOString();
  return JSON.stringify(value) ?? 'null';
}

/** Characters a plain scalar may hold here: a conservative subset of YAML's rules. */
const PLAIN_SAFE = /^[A-Za-z0-9_./<$(][A-Za-z0-9 _./:@=+,<>$()'-]*$/;
/** Plain scalars YAML 1.1 or 1.2 would read as something other than a string. */
const OTHER_TYPE = new RegExp(
  `^(?:${[
    // null and the booleans of both versions
    '~|null|Null|NULL|true|True|TRUE|false|False|FALSE|y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF',
    // decimal, hexadecimal and octal numbers, infinity and NaN
    String.raw`[-+]?(?:\.[0-9]+|[0-9][0-9_]*(?:\.[0-9_]*)?)(?:[eE][-+]?[0-9]+)?|0x[0-9a-fA-F_]+|0o?[0-7_]+`,
    String.raw`[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)`,
    // YAML 1.1 timestamps and sexagesimal numbers
    String.raw`[0-9]{4}-[0-9]{2}-[0-9]{2}.*|[0-9_]+(?::[0-5]?[0-9])+(?:\.[0-9_]*)?`,
  ].join('|')})$`,
);

function isPlainSafe(text: string): boolean {
  return (
    text !== '' &&
    PLAIN_SAFE.test(text) &&
    !text.endsWith(' ') &&
    !text.includes(': ') &&
    !text.includes(' #') &&
    !text.endsWith(':') &&
    !OTHER_TYPE.test(text)
  );
}

/** Literal blocks cannot carry control characters, carriage returns or trailing spaces faithfully. */
function isLiteralSafe(text: string): boolean {
  // eslint-disable-next-line no-control-regex
  return !/[\u0000-\u0008\u000b-\u001f\u007f\ufeff]/.test(text) && !/[ \t]\n/.test(text) && !/^\n/.test(text);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}
