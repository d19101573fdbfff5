import { isDeepStrictEqual } from 'node:util';
import { isCollection, isScalar, type Node } from 'yaml';
import { kubernetesJsonReplacer, kubernetesValue, parseKubernetesDocument } from './kubernetes-yaml.js';
import type { RenderedResource } from '../model/manifests.js';

export type PathSegment = string | number;

/**
 * Leaf paths whose values differ between two renders of the same inputs. A difference in shape
 * (a key present once, lists of different length) is reported at the enclosing path.
 */
export function differingPaths(first: unknown, second: unknown, path: PathSegment[] = []): PathSegment[][] {
  if (isDeepStrictEqual(first, second)) return [];
  if (Array.isArray(first) && Array.isArray(second) && first.length === second.length) {
    return first.flatMap((item, index) => differingPaths(item, second[index], [...path, index]));
  }
  if (isPlainObject(first) && isPlainObject(second)) {
    const keys = Object.keys(first);
    const sameKeys = keys.length === Object.keys(second).length && keys.every((key) => key in second);
    if (sameKeys) return keys.flatMap((key) => differingPaths(first[key], second[key], [...path, key]));
  }
  return [path];
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function valueAt(value: unknown, path: readonly PathSegment[]): { found: boolean; value?: unknown } {
  let current = value;
  for (const segment of path) {
    if (
      typeof segment === 'number' ? !Array.isArray(current) || segment >= current.length : !isPlainObject(current) || !(segment in current)
    )
      return { found: false };
    current = (current as Record<string | number, unknown>)[segment];
  }
  return { found: true, value: current };
}

/**
 * The resource with the committed value written back at each generated path, as text: the
 * committed bytes of the value when they read back the same in the new place, else the value as
 * JSON (which YAML reads unambiguously). Paths the committed resource lacks keep the new value.
 */
export function keepCommittedValues(
  rendered: RenderedResource,
  committed: RenderedResource | undefined,
  paths: readonly PathSegment[][],
): { resource: RenderedResource; kept: PathSegment[][]; fresh: PathSegment[][] } {
  const kept: PathSegment[][] = [];
  const fresh: PathSegment[][] = [];
  if (!committed) return { resource: rendered, kept, fresh: [...paths] };
  const renderedDocument = parseKubernetesDocument(rendered.content);
  const committedDocument = parseKubernetesDocument(committed.content);
  const edits: { start: number; end: number; text: string; path: PathSegment[]; value: unknown }[] = [];
  for (const path of paths) {
    const old = valueAt(committed.object, path);
    const target = renderedDocument.getIn(path, true) as Node | undefined;
    const source = committedDocument.getIn(path, true) as Node | undefined;
    if (!old.found || !target?.range || (!isScalar(target) && !isCollection(target))) {
      fresh.push(path);
      continue;
    }
    const [start, end] = target.range;
    const committedText = source?.range ? committed.content.slice(source.range[0], source.range[1]) : undefined;
    edits.push({ start, end, text: committedText ?? JSON.stringify(old.value, kubernetesJsonReplacer), path, value: old.value });
  }
  if (edits.length === 0) return { resource: rendered, kept, fresh };
  edits.sort((a, b) => b.start - a.start);
  const apply = (text: (edit: (typeof edits)[number]) => string): string => {
    let result = rendered.content;
    for (const edit of edits) {
      // A block scalar's range ends with its line break; what replaces it must too.
      const replacement = text(edit);
      const lineBreak = result.slice(edit.start, edit.end).endsWith('\n') && !replacement.endsWith('\n') ? '\n' : '';
      result = `${result.slice(0, edit.start)}${replacement}${lineBreak}${result.slice(edit.end)}`;
    }
    return result;
  };
  let content = apply((edit) => edit.text);
  let object = kubernetesValue(parseKubernetesDocument(content));
  if (!edits.every((edit) => isDeepStrictEqual(valueAt(object, edit.path).value, edit.value))) {
    // The committed text did not fit where it went (indentation of a block scalar): write JSON.
    content = apply((edit) => JSON.stringify(edit.value, kubernetesJsonReplacer));
    object = kubernetesValue(parseKubernetesDocument(content));
    if (!edits.every((edit) => isDeepStrictEqual(valueAt(object, edit.path).value, edit.value)))
      return { resource: rendered, kept, fresh: [...paths] };
  }
  kept.push(...edits.map((edit) => edit.path));
  return { resource: { ...rendered, content, object: object as Record<string, unknown> }, kept, fresh };
}
