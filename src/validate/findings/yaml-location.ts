import { isMap, isPair, isScalar, isSeq, LineCounter, type Node, type YAMLError } from 'yaml';
import { parseKubernetesDocument } from '../../render/kubernetes-yaml.js';
import type { PathSegments } from './json-path.js';

/** Finds lines of paths in one YAML file; parses the file once, on first use. */
export class YamlLocator {
  private parsed: { contents: Node | null; lines: LineCounter } | undefined;

  constructor(private readonly content: string) {}

  /**
   * The 1-based line of the value at `segments`, or of the key that holds it. Where the path goes
   * further than the file (a missing field), the line of the deepest part that exists.
   */
  line(segments: PathSegments): number | undefined {
    const { contents, lines } = this.parse();
    if (!contents) return undefined;
    let node: Node = contents;
    let offset = node.range?.[0];
    for (const segment of segments) {
      if (isMap(node)) {
        const pair = node.items.find((item) => isPair(item) && isScalar(item.key) && String(item.key.value) === String(segment));
        if (!pair) break;
        offset = (pair.key as Node).range?.[0] ?? offset;
        if (!pair.value) break;
        node = pair.value as Node;
      } else if (isSeq(node) && typeof segment === 'number') {
        const item = node.items[segment] as Node | undefined;
        if (!item) break;
        offset = item.range?.[0] ?? offset;
        node = item;
      } else {
        break;
      }
    }
    return offset === undefined ? undefined : lines.linePos(offset).line;
  }

  private parse() {
    if (!this.parsed) {
      const lines = new LineCounter();
      const document = parseKubernetesDocument(this.content, { lineCounter: lines, uniqueKeys: false });
      this.parsed = { contents: (document.contents as Node | null) ?? null, lines };
    }
    return this.parsed;
  }
}

export interface DuplicateKey {
  line: number;
  key: string;
}

/** Keys repeated within one mapping of a YAML document (YAML forbids them; tools keep one of the values silently). */
export function findDuplicateKeys(content: string): DuplicateKey[] {
  const lines = new LineCounter();
  const document = parseKubernetesDocument(content, { lineCounter: lines, uniqueKeys: true });
  return duplicateKeys(content, document.errors, lines);
}

/** The duplicate keys among a parse's errors (parsed with `uniqueKeys: true` and `lines`). */
export function duplicateKeys(content: string, errors: readonly YAMLError[], lines: LineCounter): DuplicateKey[] {
  return errors
    .filter((error) => error.code === 'DUPLICATE_KEY')
    .map((error) => ({ line: lines.linePos(error.pos[0]).line, key: keyAt(content, error.pos[0]) }));
}

/** The key written at `offset` (the error position covers only its first character). */
function keyAt(content: string, offset: number): string {
  const text =
    /^("(?:[^"\\\n]|\\.)*"|'(?:[^'\n]|'')*'|[^:\n]*?)\s*:(\s|$)/.exec(content.slice(offset))?.[1] ?? content.slice(offset).split('\n')[0]!;
  return text.replace(/^["']|["']$/g, '');
}
