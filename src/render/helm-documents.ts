import { isDeepStrictEqual } from 'node:util';
import { isMap, isPair, isScalar, isSeq, type Node, type Pair, type YAMLMap } from 'yaml';
import { type Document } from 'yaml';
import { fastKubernetesValue } from './fast-yaml.js';
import { kubernetesJsonReplacer, kubernetesValue, parseKubernetesDocument, yamlStringScalar } from './kubernetes-yaml.js';

/**
 * Helm's text of each document, kept byte for byte: what `render` commits is what helm rendered,
 * so Argo CD applies exactly what helm meant (the only edit is the namespace a chart left out).
 */
export interface HelmDocument {
  /** The document's text without its `---` line: helm's `# Source:` comment, then the object. */
  text: string;
  /** Its value (read as Kubernetes reads YAML); null for a document that holds only comments, undefined when it is invalid. */
  value: unknown;
  /** The first parse error, when the document is not valid YAML. */
  error?: string;
  /** The parsed document with its syntax tree, for edits of the text (parsed on first use: it is slow). */
  readonly document: Document;
}

/** A line that starts a document (`---`, maybe followed by content) or ends one (`...`). */
const DOCUMENT_START = /^---(?=[ \t]|$)/;
const DOCUMENT_END = /^\.\.\.(?=[ \t]|$)/;

/**
 * Splits one file helm wrote into its documents, each with its own text. YAML forbids `---` and
 * `...` at the start of a line anywhere but as document markers, so the split needs no parser.
 */
export function splitHelmDocuments(fileText: string): HelmDocument[] {
  const texts: string[] = [];
  let current: string[] | undefined;
  for (const line of fileText.split('\n')) {
    if (DOCUMENT_START.test(line)) {
      if (current) texts.push(current.join('\n'));
      const rest = line.slice(3).trim();
      current = rest === '' || rest.startsWith('#') ? [] : [rest];
    } else if (DOCUMENT_END.test(line)) {
      if (current) texts.push(current.join('\n'));
      current = undefined;
    } else if (current) {
      current.push(line);
    } else if (line.trim() !== '' && !line.startsWith('%')) {
      // Content before any `---`: the first document has no start marker.
      current = [line];
    }
  }
  if (current) texts.push(current.join('\n'));
  return texts.map((text) => helmDocument(withFinalNewline(text)));
}

/** A document's value, by the fast reader when it can, else by the `yaml` package (which names errors). */
export function helmDocument(text: string): HelmDocument {
  let parsed: Document | undefined;
  const parse = () => (parsed ??= parseKubernetesDocument(text));
  const fast = fastKubernetesValue(text);
  if (fast) {
    return {
      text,
      value: fast.value,
      get document() {
        return parse();
      },
    };
  }
  const document = parse();
  const error = document.errors[0]?.message;
  return { text, value: error === undefined ? kubernetesValue(document) : undefined, ...(error === undefined ? {} : { error }), document };
}

/** helm's `# Source: <chart>/templates/<file>` comment among the document's leading comments. */
export function sourceComment(text: string): string | undefined {
  for (const line of text.split('\n')) {
    const trimmed = line.trim();
    if (trimmed === '') continue;
    if (!trimmed.startsWith('#')) return undefined;
    const match = /^#\s*Source:\s*(.+?)\s*$/.exec(trimmed);
    if (match) return match[1];
  }
  return undefined;
}

/**
 * The namespace written in by plain text, for the common shape of helm's output: a block
 * `metadata:` at the top level whose `name:` is a one-line value. Undefined otherwise (the caller
 * then edits through the syntax tree); the caller checks the result reads back as intended.
 */
export function insertNamespaceAfterName(text: string, namespace: string): string | undefined {
  const lines = text.split('\n');
  const metadata = lines.findIndex((line) => /^metadata:[ \t]*(#.*)?$/.test(line));
  if (metadata === -1) return undefined;
  let indent: string | undefined;
  for (let index = metadata + 1; index < lines.length; index++) {
    const line = lines[index]!;
    if (line.trim() === '' || line.trim().startsWith('#')) continue;
    const lineIndent = /^ */.exec(line)![0];
    if (lineIndent === '') return undefined;
    indent ??= lineIndent;
    if (lineIndent !== indent) continue;
    if (/^ +namespace[ \t]*:/.test(line)) return undefined;
    if (/^ +name:[ \t]+[^ \t|>&*!#]/.test(line)) {
      lines.splice(index + 1, 0, `${indent}namespace: ${yamlStringScalar(namespace)}`);
      return lines.join('\n');
    }
  }
  return undefined;
}

/** A block scalar header with keep chomping (`|+`, `>2+`): its trailing blank lines are part of the value. */
const KEEP_CHOMPING = /[|>][1-9]?\+[1-9]?[ \t]*(#.*)?$/m;

/**
 * Exactly one line break at the end. helm ends every template's output with a blank line; it
 * carries no meaning unless the last value is a keep-chomping block scalar, whose text stays as is.
 */
function withFinalNewline(text: string): string {
  if (KEEP_CHOMPING.test(text)) return text.endsWith('\n') ? text : `${text}\n`;
  return `${text.replace(/\s+$/, '')}\n`;
}

/**
 * The items of a `kind: List` document, each as its own document text cut out of the list's
 * text (with the list's `# Source:` line on top) so that the committed bytes stay helm's. An item
 * whose cut-out text does not read back as the same object is written as JSON, which Kubernetes
 * reads unambiguously.
 */
export function listItemDocuments(list: HelmDocument, source: string): HelmDocument[] {
  const items = list.document.get('items', true);
  if (!isSeq(items)) return [];
  return items.items.map((node, index) => {
    const expected = (list.value as { items: unknown[] }).items[index];
    const cut = isNode(node) ? cutNodeText(list.text, node) : undefined;
    const body = cut;
    const item = helmDocument(withFinalNewline(`${source}${body ?? JSON.stringify(expected, kubernetesJsonReplacer, 2)}`));
    if (body !== undefined && !isDeepStrictEqual(item.value, expected)) {
      return helmDocument(withFinalNewline(`${source}${JSON.stringify(expected, kubernetesJsonReplacer, 2)}`));
    }
    return item;
  });
}

function isNode(value: unknown): value is Node {
  return typeof value === 'object' && value !== null && 'range' in value && Array.isArray((value as Node).range);
}

/** The text of a block-sequence item, de-indented to column 0. */
function cutNodeText(text: string, node: Node): string | undefined {
  const [start, valueEnd] = node.range ?? [];
  if (start === undefined || valueEnd === undefined) return undefined;
  const lineStart = text.lastIndexOf('\n', start - 1) + 1;
  const column = start - lineStart;
  const lines = text.slice(start, valueEnd).split('\n');
  const dedented = lines.map((line, index) => {
    if (index === 0) return line;
    const indent = /^ */.exec(line)![0].length;
    if (indent < column && line.trim() !== '') return undefined;
    return line.slice(Math.min(indent, column));
  });
  if (dedented.some((line) => line === undefined)) return undefined;
  return dedented.join('\n').trimEnd();
}

/**
 * The document text with `metadata.namespace: <namespace>` written in, as a person would:
 * right after `name:` (or in place of an empty namespace). Returns undefined when the document's
 * shape leaves no safe place (the caller then writes the object as JSON).
 */
export function insertNamespace(document: HelmDocument, namespace: string): string | undefined {
  const metadata = document.document.get('metadata', true);
  if (!isMap(metadata)) return undefined;
  const { text } = document;
  const scalar = yamlStringScalar(namespace);
  if (metadata.flow) return insertIntoFlowMap(text, metadata, scalar);
  const existing = findPair(metadata, 'namespace');
  if (existing) {
    const key = existing.key as Node;
    const value = existing.value as Node | null;
    const valueEnd = value && isScalar(value) && value.range ? value.range[1] : undefined;
    if (!key.range || valueEnd === undefined) return undefined;
    const replaced = text.slice(key.range[0], valueEnd);
    if (replaced.includes('\n')) return undefined;
    return `${text.slice(0, key.range[0])}namespace: ${scalar}${text.slice(valueEnd)}`;
  }
  const name = findPair(metadata, 'name');
  const nameKey = name?.key as Node | undefined;
  const nameValue = name?.value as Node | undefined;
  if (
    nameKey?.range &&
    nameValue &&
    isScalar(nameValue) &&
    nameValue.range &&
    !text.slice(nameKey.range[0], nameValue.range[1]).includes('\n')
  ) {
    const lineStart = text.lastIndexOf('\n', nameKey.range[0] - 1) + 1;
    const indent = text.slice(lineStart, nameKey.range[0]);
    if (!/^ *$/.test(indent)) return undefined;
    const lineEnd = text.indexOf('\n', nameValue.range[1]);
    const at = lineEnd === -1 ? text.length : lineEnd + 1;
    const before = lineEnd === -1 ? `${text}\n` : text.slice(0, at);
    return `${before}${indent}namespace: ${scalar}\n${text.slice(at)}`;
  }
  const first = metadata.items[0]?.key as Node | undefined;
  if (!first?.range) return undefined;
  const lineStart = text.lastIndexOf('\n', first.range[0] - 1) + 1;
  const indent = text.slice(lineStart, first.range[0]);
  if (!/^ *$/.test(indent)) return undefined;
  return `${text.slice(0, first.range[0])}namespace: ${scalar}\n${indent}${text.slice(first.range[0])}`;
}

/** `{name: x}` becomes `{name: x, namespace: y}`. */
function insertIntoFlowMap(text: string, metadata: YAMLMap, scalar: string): string | undefined {
  if (findPair(metadata, 'namespace')) return undefined;
  const name = findPair(metadata, 'name');
  const end = (name?.value as Node | undefined)?.range?.[1];
  if (end !== undefined) return `${text.slice(0, end)}, namespace: ${scalar}${text.slice(end)}`;
  const open = metadata.range?.[0];
  if (open === undefined || text[open] !== '{') return undefined;
  return `${text.slice(0, open + 1)}namespace: ${scalar}, ${text.slice(open + 1)}`;
}

function findPair(map: YAMLMap, key: string): Pair | undefined {
  return map.items.find((pair) => isPair(pair) && isScalar(pair.key) && pair.key.value === key) as Pair | undefined;
}
