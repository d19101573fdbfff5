import type { YAMLError } from 'yaml';
import type { RenderedResource } from '../model/manifests.js';
import { apiGroup, type ResourceKey } from '../model/resource-key.js';
import { fastKubernetesValue } from './fast-yaml.js';
import { kubernetesValue, parseKubernetesDocument } from './kubernetes-yaml.js';

/** A committed file that is not exactly one well-formed Kubernetes object. */
export interface ManifestFileProblem {
  environment: string;
  release: string;
  /** `<environment>/<release>/<file>` */
  path: string;
  content: string;
  /**
   * `duplicate-keys`: the resource is still returned (last value wins, as kubectl applies it).
   * `missing-file`: the ownership record lists the file, the tree does not hold it (deleted by hand).
   */
  problem: 'invalid-yaml' | 'not-an-object' | 'duplicate-keys' | 'missing-file';
  message: string;
  line?: number;
  /** The resource, when the file still holds one (duplicate keys). */
  resource?: RenderedResource;
}

/**
 * Parsed committed files by text: the base and head of a pull request, and the reads of one
 * render, share most files, and each distinct text is parsed once per process. Bounded by the
 * characters held, oldest first out.
 */
const parsedTexts = new Map<string, ParsedText>();
const PARSE_CACHE_CHARACTERS = 256 * 1024 * 1024;
let parsedCharacters = 0;

interface ParsedText {
  duplicate?: YAMLError;
  fatal?: YAMLError;
  object: unknown;
}

function parseCommittedText(content: string): ParsedText {
  const cached = parsedTexts.get(content);
  if (cached) return cached;
  // Frozen: every reader of this text gets the same object, so none may change it.
  const fast = fastKubernetesValue(content);
  let parsed: ParsedText;
  if (fast) {
    parsed = { object: deepFreeze(fast.value) };
  } else {
    // Duplicate keys are errors of the parse, yet the document still composes (last value wins).
    const document = parseKubernetesDocument(content);
    const duplicate = document.errors.find((error) => error.code === 'DUPLICATE_KEY');
    const fatal = document.errors.find((error) => error.code !== 'DUPLICATE_KEY');
    parsed = { duplicate, fatal, object: fatal ? undefined : deepFreeze(kubernetesValue(document)) };
  }
  parsedTexts.set(content, parsed);
  parsedCharacters += content.length;
  for (const [text] of parsedTexts) {
    if (parsedCharacters <= PARSE_CACHE_CHARACTERS) break;
    parsedTexts.delete(text);
    parsedCharacters -= text.length;
  }
  return parsed;
}

/**
 * One committed manifest file read back as a resource, or undefined when it holds none: what makes
 * it not exactly one well-formed Kubernetes object goes to `report` as a problem of the file.
 */
export function parseManifestFile(
  environment: string,
  release: string,
  path: string,
  content: string,
  report: (problem: ManifestFileProblem) => void,
): RenderedResource | undefined {
  const { duplicate, fatal, object } = parseCommittedText(content);
  const metadata = isRecord(object) && isRecord(object.metadata) ? object.metadata : {};
  const base = { environment, release, path, content };
  if (!isRecord(object) || typeof object.apiVersion !== 'string' || typeof object.kind !== 'string' || typeof metadata.name !== 'string') {
    report({
      ...base,
      problem: fatal ? 'invalid-yaml' : 'not-an-object',
      message:
        (fatal ? `invalid YAML: ${firstLine(fatal.message)}` : 'not a Kubernetes object with apiVersion, kind and metadata.name') +
        '; each file under the manifests directory must hold exactly one resource',
      ...(fatal?.linePos ? { line: fatal.linePos[0].line } : {}),
    });
    return undefined;
  }
  const key: ResourceKey = { group: apiGroup(object.apiVersion), kind: object.kind, name: metadata.name };
  if (typeof metadata.namespace === 'string') key.namespace = metadata.namespace;
  const source = /^#\s*Source:\s*(.+)$/m.exec(content)?.[1]?.trim() ?? path;
  const resource: RenderedResource = { key, apiVersion: object.apiVersion, environment, release, path, content, object, source };
  if (duplicate) {
    report({
      ...base,
      problem: 'duplicate-keys',
      message: `duplicate keys: ${duplicate.message.split('\n')[0]}`,
      ...(duplicate.linePos ? { line: duplicate.linePos[0].line } : {}),
      resource,
    });
  }
  return resource;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The first line of a YAML parse error, without its position (the finding has the line). */
function firstLine(message: string): string {
  return message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
}
