import { createHash, randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Ajv, ValidateFunction } from 'ajv';
import * as standalone from 'ajv/dist/standalone/index.js';
import * as equal from 'ajv/dist/runtime/equal.js';
import * as ucs2length from 'ajv/dist/runtime/ucs2length.js';
import ajvPackage from 'ajv/package.json' with { type: 'json' };

/**
 * Bump when what a cached validator is made of changes without changing the converted schemas or
 * Ajv's version (Ajv's options, the free names the code uses, the file layout).
 */
const CACHE_FORMAT = 'lean-validator-1';

/** The first line of an entry: the digest of the rest, so a damaged file is never run. */
const DIGEST_LINE = /^\/\/ sha256:([0-9a-f]{64})\n/;

/**
 * What generated validator code may use besides `require`: the names given to Ajv as
 * `code.formats`, `code.regExp.code` and a keyword's function (see SchemaCompiler).
 */
export interface ValidatorRuntime {
  formats: unknown;
  compileGoPattern: unknown;
  hasDistinctListMapKeys: unknown;
}

/** Compiled validators kept between runs (ajv standalone code), by a digest of everything they are compiled from. */
export interface ValidatorStore {
  read(key: string): string | undefined;
  write(key: string, code: string): void;
}

/** The key of a validator compiled from these parts (schema JSON, digests of documents, the ref). */
export function validatorKey(parts: readonly string[]): string {
  const hash = createHash('sha256').update(`${CACHE_FORMAT}\u0000ajv ${ajvPackage.version}`);
  for (const part of parts) hash.update('\u0000').update(part);
  return hash.digest('hex');
}

/** The digest of a schema's JSON, a part of validator keys. */
export function schemaDigest(schema: unknown): string {
  return createHash('sha256').update(JSON.stringify(schema)).digest('hex');
}

/** The validator as a module (its `$ref`s included); undefined when Ajv cannot write it standalone. */
export function validatorModule(ajv: Ajv, validate: ValidateFunction): string | undefined {
  let code: string;
  try {
    code = (moduleFunction(standalone) as (ajv: Ajv, validate: ValidateFunction) => string)(ajv, validate);
  } catch {
    return undefined;
  }
  return `// sha256:${createHash('sha256').update(code).digest('hex')}\n${code}`;
}

/** Runs a module written by `validatorModule`; undefined when it is damaged or not one. */
export function loadValidatorModule(text: string, runtime: ValidatorRuntime): ValidateFunction | undefined {
  const digest = DIGEST_LINE.exec(text);
  if (!digest) return undefined;
  const code = text.slice(digest[0].length);
  if (createHash('sha256').update(code).digest('hex') !== digest[1]) return undefined;
  try {
    const module: { exports: unknown } = { exports: {} };
    const factory = new Function('require', 'module', 'exports', 'formats', 'compileGoPattern', 'hasDistinctListMapKeys', code);
    factory(runtimeRequire, module, module.exports, runtime.formats, runtime.compileGoPattern, runtime.hasDistinctListMapKeys);
    const validate = module.exports as ValidateFunction;
    return typeof validate === 'function' ? validate : undefined;
  } catch {
    return undefined;
  }
}

/** The Ajv runtime modules generated code requires, bundled with the CLI (there is no node_modules beside it). */
function runtimeRequire(name: string): { default: unknown } {
  switch (name) {
    case 'ajv/dist/runtime/equal':
      return { default: moduleFunction(equal) };
    case 'ajv/dist/runtime/ucs2length':
      return { default: moduleFunction(ucs2length) };
    default:
      throw new Error(`a cached validator requires ${name}, which is not provided`);
  }
}

/** The function a CommonJS module exports as `default`, however the bundler or Node wrapped it. */
function moduleFunction(module: unknown): unknown {
  let value = module;
  for (let depth = 0; depth < 3 && typeof value !== 'function'; depth++) value = (value as { default?: unknown }).default;
  return value;
}

/** Entries as files `<directory>/<key>.cjs`; a cache that cannot be read or written is no cache, never an error. */
export function fileValidatorStore(directory: string): ValidatorStore {
  return {
    read(key) {
      try {
        return readFileSync(join(directory, `${key}.cjs`), 'utf8');
      } catch {
        return undefined;
      }
    },
    write(key, code) {
      const path = join(directory, `${key}.cjs`);
      // Written aside (a name no other writer, process or thread, uses) and renamed, so a reader never sees half an entry.
      const partial = `${path}.${randomUUID()}.partial`;
      try {
        mkdirSync(directory, { recursive: true });
        writeFileSync(partial, code);
        renameSync(partial, path);
      } catch {
        rmSync(partial, { force: true });
      }
    },
  };
}
