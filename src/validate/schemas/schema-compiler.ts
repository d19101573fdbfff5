import {
  _,
  Ajv,
  type AnySchema,
  type Options,
  type ErrorObject,
  type KeywordCxt,
  type KeywordDefinition,
  type ValidateFunction,
} from 'ajv';
import { formatApiVersion, type GroupVersion } from './group-version.js';
import { compileGoPattern } from './go-regexp.js';
import { KUBERNETES_FORMATS } from './kubernetes-formats.js';
import {
  convertBuiltInDocument,
  convertCustomResourceSchema,
  LIST_MAP_KEYS_KEYWORD,
  OBJECT_META,
  shareableDefinitions,
  type ConversionNote,
  type SharedDefinitions,
} from './schema-conversion.js';
import type { LoadedDocument } from './schema-source.js';
import { shareSubschemas } from './subschema-sharing.js';
import type { OpenApiSchema } from './openapi-document.js';
import { loadValidatorModule, schemaDigest, validatorKey, validatorModule, type ValidatorStore } from './validator-cache.js';

/**
 * The checks of one kind. Most resources are valid, so validity is decided by a function compiled
 * without error details (a third less code for Ajv to generate); the function that collects every
 * violation with its schema is compiled only when a resource of the kind fails. Both apply the
 * same schema, so they agree on validity.
 */
export interface KindValidator {
  isValid(value: unknown): boolean;
  /** Every violation of the value (Ajv's errors, `allErrors` and `verbose`); empty when valid. */
  violations(value: unknown): ErrorObject[];
}

const CORE_V1: GroupVersion = { group: '', version: 'v1' };

/** Pattern engine for Ajv: Go (RE2) syntax, linear-time matching, as the API server matches `pattern`. */
const patternEngine = Object.assign((pattern: string) => compileGoPattern(pattern), { code: 'compileGoPattern' });

/** The first two items of an `x-kubernetes-list-type: map` list with the same key fields, if any. */
function duplicateListMapKeys(keys: string[], items: unknown[]): { first: number; index: number } | undefined {
  const seen = new Map<string, number>();
  for (const [index, item] of items.entries()) {
    if (typeof item !== 'object' || item === null) continue;
    const identity = JSON.stringify(keys.map((key) => (item as Record<string, unknown>)[key] ?? null));
    const first = seen.get(identity);
    if (first !== undefined) return { first, index };
    seen.set(identity, index);
  }
  return undefined;
}

function hasDistinctListMapKeys(keys: string[], items: unknown[]): boolean {
  return duplicateListMapKeys(keys, items) === undefined;
}

/** Items of an `x-kubernetes-list-type: map` list must differ in their key fields (with the message of a finding). */
const listMapKeys: KeywordDefinition = {
  keyword: LIST_MAP_KEYS_KEYWORD,
  type: 'array',
  schemaType: 'array',
  errors: true,
  validate: function check(keys: string[], items: unknown[]): boolean {
    const duplicate = duplicateListMapKeys(keys, items);
    if (!duplicate) return true;
    const { first, index } = duplicate;
    const item = items[index] as Record<string, unknown>;
    (check as unknown as { errors: Partial<ErrorObject>[] }).errors = [
      {
        keyword: LIST_MAP_KEYS_KEYWORD,
        message:
          `duplicate entry: items [${first}] and [${index}] have the ` +
          `same ${keys.join('/')} ${keys.map((key) => JSON.stringify(item[key] ?? null)).join('/')}`,
        params: { keys, first, index },
      },
    ];
    return false;
  },
};

/**
 * The same check for the lean instance, as generated code calling a named function: code that
 * names what it calls can be cached as a module (see validator-cache.ts), a keyword's function cannot.
 */
const leanListMapKeys: KeywordDefinition = {
  keyword: LIST_MAP_KEYS_KEYWORD,
  type: 'array',
  schemaType: 'array',
  code(context: KeywordCxt) {
    const check = context.gen.scopeValue('func', { ref: hasDistinctListMapKeys, code: _`hasDistinctListMapKeys` });
    context.fail(_`!${check}(${context.schemaCode}, ${context.data})`);
  },
};

/** What the cached lean validators call by name. */
const VALIDATOR_RUNTIME = {
  formats: KUBERNETES_FORMATS,
  compileGoPattern: patternEngine,
  hasDistinctListMapKeys,
};

/**
 * Two Ajv instances (see `KindValidator`) holding the converted documents and every compiled kind.
 * Compilation is lazy (a kind is compiled on first use, with the `$ref`s it reaches) and never
 * repeated: the compiled functions are kept for the life of the compiler (one per SchemaSource).
 */
export class SchemaCompiler {
  /** Decides validity. */
  private readonly lean = createAjv(false);
  /** Explains failures: compiled per kind on its first invalid resource. */
  private readonly detailed = createAjv(true);
  private readonly documentIds = new Map<string, string>();
  private shared: SharedDefinitions | undefined;
  private readonly compiled = new Map<string, KindValidator>();
  private readonly customResources = new Map<string, { validator: KindValidator; notes: ConversionNote[] }>();
  /** `$id`s of the subschemas CRDs share (see `shareSubschemas`), added to Ajv once. */
  private readonly sharedSubschemas = new Set<string>();
  /** Digests of the converted documents, by id (parts of cached validators' keys). */
  private readonly documentDigests = new Map<string, string>();

  /**
   * @param store keeps lean validators between runs (their compilation is most of a run with a warm
   *   document cache); without it every run compiles.
   */
  constructor(
    private readonly kubernetesVersion: string,
    private readonly store?: ValidatorStore,
  ) {}

  /**
   * Adds a group/version document (once); its kinds compile on first use. Every document but
   * core/v1 needs the core/v1 document, whose types it shares (see `SharedDefinitions`).
   */
  addDocument(loaded: LoadedDocument, core: LoadedDocument): void {
    const key = formatApiVersion(loaded.groupVersion);
    if (this.documentIds.has(key)) return;
    const coreKey = formatApiVersion(CORE_V1);
    const coreId = documentId(this.kubernetesVersion, CORE_V1);
    if (!this.documentIds.has(coreKey)) {
      this.addDocumentSchema(coreId, convertBuiltInDocument(core.document, coreId, this.objectMetaRef()).schema);
      this.documentIds.set(coreKey, coreId);
      this.shared = shareableDefinitions(core.document, coreId);
    }
    if (key === coreKey) return;
    const id = documentId(this.kubernetesVersion, loaded.groupVersion);
    const { schema } = convertBuiltInDocument(loaded.document, id, this.objectMetaRef(), this.shared);
    this.addDocumentSchema(id, schema);
    this.documentIds.set(key, id);
  }

  hasDocument(groupVersion: GroupVersion): boolean {
    return this.documentIds.has(formatApiVersion(groupVersion));
  }

  builtInValidator(groupVersion: GroupVersion, schemaName: string): KindValidator {
    const id = this.documentIds.get(formatApiVersion(groupVersion));
    if (!id) throw new Error(`internal: the document of ${formatApiVersion(groupVersion)} was not added`);
    const ref = `${id}#/definitions/${schemaName}`;
    let validator = this.compiled.get(ref);
    if (!validator) {
      const coreId = documentId(this.kubernetesVersion, CORE_V1);
      const lean = this.leanValidator(
        () => [ref, this.documentDigests.get(id)!, this.documentDigests.get(coreId)!],
        () => this.ready(this.lean).getSchema(ref),
      );
      if (!lean) throw new Error(`internal: no schema ${ref}`);
      validator = kindValidator(lean, () => this.ready(this.detailed).getSchema(ref)!);
      this.compiled.set(ref, validator);
    }
    return validator;
  }

  /**
   * The validator of one served version of a CRD; `cacheKey` identifies the schema's content, so
   * equal CRDs rendered in several environments compile once (a schema that does not compile throws).
   * Needs the core/v1 document added (ObjectMeta).
   */
  customResourceValidator(cacheKey: string, openApiV3Schema: OpenApiSchema): { validator: KindValidator; notes: ConversionNote[] } {
    const id = `https://custom-resources.invalid/${cacheKey}.json`;
    let entry = this.customResources.get(id);
    if (!entry) {
      const { schema, notes } = convertCustomResourceSchema(openApiV3Schema, id, this.objectMetaRef());
      const sharing = shareSubschemas(schema);
      for (const shared of sharing.shared) {
        if (this.sharedSubschemas.has(shared.id)) continue;
        this.addSchema(shared.schema as AnySchema);
        this.sharedSubschemas.add(shared.id);
      }
      const root = sharing.schema as AnySchema;
      const coreId = documentId(this.kubernetesVersion, CORE_V1);
      // Compiled by the lean instance now, so that a schema that does not compile is reported here
      // (a cached validator was compiled without error).
      const lean = this.leanValidator(
        () => [JSON.stringify(sharing), this.documentDigests.get(coreId)!],
        () => this.ready(this.lean).compile(root),
      )!;
      entry = { validator: kindValidator(lean, () => this.ready(this.detailed).compile(root)), notes };
      this.customResources.set(id, entry);
    }
    return entry;
  }

  /** The lean validator from the store when it holds one for exactly these inputs, else compiled (and stored). */
  private leanValidator(keyParts: () => string[], compile: () => ValidateFunction | undefined): ValidateFunction | undefined {
    if (!this.store) return compile();
    const key = validatorKey([LEAN_OPTIONS_FINGERPRINT, ...keyParts()]);
    const stored = this.store.read(key);
    const loaded = stored === undefined ? undefined : loadValidatorModule(stored, VALIDATOR_RUNTIME);
    if (loaded) return loaded;
    const compiled = compile();
    const module = compiled && validatorModule(this.ready(this.lean), compiled);
    if (module) this.store.write(key, module);
    return compiled;
  }

  private addDocumentSchema(id: string, schema: unknown): void {
    this.addSchema(schema as AnySchema);
    if (this.store) this.documentDigests.set(id, schemaDigest(schema));
  }

  /** Schemas not yet given to each instance: with cached validators most runs never compile, so never need them. */
  private readonly pending = new Map<Ajv, AnySchema[]>();

  private addSchema(schema: AnySchema): void {
    for (const ajv of [this.lean, this.detailed]) {
      const list = this.pending.get(ajv);
      if (list) list.push(schema);
      else this.pending.set(ajv, [schema]);
    }
  }

  /** The instance with every schema added so far, ready to compile. */
  private ready(ajv: Ajv): Ajv {
    const list = this.pending.get(ajv);
    if (list) {
      this.pending.delete(ajv);
      for (const schema of list) ajv.addSchema(schema);
    }
    return ajv;
  }

  private objectMetaRef(): string {
    return `${documentId(this.kubernetesVersion, CORE_V1)}#/definitions/${OBJECT_META}`;
  }
}

/** Ajv as the API server checks values: Go patterns, Kubernetes formats, distinct list-map keys. */
function createAjv(detailed: boolean): Ajv {
  return new Ajv(ajvOptions(detailed));
}

/**
 * The lean instance's options with the source of every function in them (formats, pattern engine,
 * keyword), a part of every cached validator's key: a change to any of them compiles anew.
 */
const LEAN_OPTIONS_FINGERPRINT = JSON.stringify(ajvOptions(false), (_key, value: unknown) =>
  typeof value === 'function' ? String(value) : value,
);

function ajvOptions(detailed: boolean): Options {
  return {
    allErrors: detailed,
    verbose: detailed,
    strict: true,
    strictTypes: false,
    strictTuples: false,
    allowUnionTypes: true,
    validateSchema: false,
    logger: false,
    formats: KUBERNETES_FORMATS,
    keywords: [detailed ? listMapKeys : leanListMapKeys],
    // Measured on the 2,530-resource bench: Ajv's code optimisation and ref inlining cost a third
    // of a cold run (PodSpec is large) and gain nothing measurable when validating.
    inlineRefs: false,
    // The lean instance keeps its code (`source`) for the validator cache, which names the formats.
    code: detailed
      ? { regExp: patternEngine, optimize: false }
      : { regExp: patternEngine, optimize: false, source: true, formats: _`formats` },
  };
}

function kindValidator(lean: ValidateFunction, compileDetailed: () => ValidateFunction): KindValidator {
  let detailed: ValidateFunction | undefined;
  return {
    isValid: (value) => lean(value) as boolean,
    violations(value) {
      detailed ??= compileDetailed();
      return detailed(value) ? [] : (detailed.errors ?? []);
    },
  };
}

function documentId(kubernetesVersion: string, { group, version }: GroupVersion): string {
  return `https://kubernetes.invalid/${kubernetesVersion}/${group || 'core'}/${version}.json`;
}
