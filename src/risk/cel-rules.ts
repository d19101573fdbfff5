import { Environment, Optional, type ParseResult } from '@marcbachmann/cel-js';
import { apiGroup, formatResourceKey } from '../model/resource-key.js';
import { compileGoPattern } from '../validate/schemas/go-regexp.js';
import { registerKubernetesLibrary } from './cel-kubernetes-library.js';
import type { ResourcePair } from './resource-pairs.js';
import type { Risk } from './types.js';
import { canonicalJson, isRecord, type JsonObject } from './values.js';

/**
 * The `x-kubernetes-validations` rules of the CRDs in the render, evaluated offline on every
 * custom resource the change adds or changes, as the apiextensions-apiserver evaluates them on
 * create and update (k8s.io/apiextensions-apiserver/pkg/apiserver/schema/cel): `self` is the value
 * the rule sits on, `oldSelf` the same value in the base object for transition rules, which run
 * only when that old value exists. A rule using a function of the Kubernetes CEL libraries the
 * evaluator lacks (url(), ip(), cidr(), format...; see cel-kubernetes-library.ts for those it has) is reported as not evaluated,
 * never as passing or failing.
 */

interface ValidationRule {
  rule: string;
  message?: string;
  messageExpression?: string;
  fieldPath?: string;
  optionalOldSelf?: boolean;
}

interface Violation {
  path: string;
  rule: ValidationRule;
  message: string;
}

interface Unevaluated {
  path: string;
  rule: ValidationRule;
  reason: string;
}

/** Runtime errors CEL itself defines (the API server fails the rule with them too). */
const RUNTIME_FAILURE = /no such key|index out of (range|bounds)|division by zero|modulus by zero/i;

/** Deepest schema level walked; CRD schemas nest far less, this only stops a self-referencing value. */
const MAX_DEPTH = 64;

export class CelRuleEvaluator {
  private readonly environment = registerKubernetesLibrary(
    new Environment({ unlistedVariablesAreDyn: true, homogeneousAggregateLiterals: false, enableOptionalTypes: true }),
  )
    .registerFunction('string.linearMatches(string): bool', (value: string, pattern: string) => compileGoPattern(pattern).test(value))
    .registerFunction('linearMatches(string, string): bool', (value: string, pattern: string) => compileGoPattern(pattern).test(value));
  private readonly parsed = new Map<string, ParseResult | Error>();
  /** Rule evaluations so far, by outcome (for logs and measurements). */
  readonly counts = { passed: 0, failed: 0, unsupported: 0 };

  /** Violations and unevaluated rules of one object against one version's schema. */
  evaluate(schema: JsonObject, object: unknown, old: unknown): { violations: Violation[]; unevaluated: Unevaluated[] } {
    const result = { violations: [] as Violation[], unevaluated: [] as Unevaluated[] };
    this.walk(schema, structural(schema, object), old === undefined ? undefined : structural(schema, old), '', result, 0);
    return result;
  }

  private walk(
    schema: JsonObject,
    value: unknown,
    old: unknown,
    path: string,
    result: { violations: Violation[]; unevaluated: Unevaluated[] },
    depth: number,
  ): void {
    if (value === undefined || value === null || depth > MAX_DEPTH) return;
    const rules = Array.isArray(schema['x-kubernetes-validations'])
      ? (schema['x-kubernetes-validations'] as unknown[]).filter(isRecord)
      : [];
    for (const candidate of rules) {
      if (typeof candidate.rule !== 'string') continue;
      const rule = candidate as unknown as ValidationRule;
      const transition = /\boldSelf\b/.test(rule.rule);
      if (transition && old === undefined && !rule.optionalOldSelf) continue;
      // With optionalOldSelf, oldSelf is an optional value (`oldSelf.hasValue()`, `oldSelf.orValue(x)`).
      const oldSelf = rule.optionalOldSelf
        ? old === undefined
          ? Optional.none()
          : Optional.of(celValue(schema, old))
        : old === undefined
          ? undefined
          : celValue(schema, old);
      const outcome = this.run(rule.rule, { self: celValue(schema, value), ...(transition ? { oldSelf } : {}) });
      const where = path + (rule.fieldPath ?? '');
      this.counts[outcome.kind]++;
      if (outcome.kind === 'unsupported') result.unevaluated.push({ path: where, rule, reason: outcome.reason });
      else if (outcome.kind === 'failed')
        result.violations.push({ path: where || '(root)', rule, message: this.message(rule, schema, value, outcome.error) });
    }
    if (isRecord(value) && isRecord(schema.properties)) {
      for (const [key, child] of Object.entries(schema.properties)) {
        if (isRecord(child)) this.walk(child, value[key], isRecord(old) ? old[key] : undefined, `${path}.${key}`, result, depth + 1);
      }
    }
    if (isRecord(value) && isRecord(schema.additionalProperties)) {
      for (const [key, child] of Object.entries(value))
        this.walk(
          schema.additionalProperties,
          child,
          isRecord(old) ? old[key] : undefined,
          `${path}[${JSON.stringify(key)}]`,
          result,
          depth + 1,
        );
    }
    if (Array.isArray(value) && isRecord(schema.items)) {
      const correlated = correlate(schema, value, old);
      value.forEach((item, index) =>
        this.walk(schema.items as JsonObject, item, correlated[index], `${path}[${index}]`, result, depth + 1),
      );
    }
  }

  private run(
    expression: string,
    context: Record<string, unknown>,
  ): { kind: 'passed' } | { kind: 'failed'; error?: string } | { kind: 'unsupported'; reason: string } {
    let program = this.parsed.get(expression);
    if (!program) {
      try {
        program = this.environment.parse(withLinearMatches(expression));
      } catch (error) {
        program = error as Error;
      }
      this.parsed.set(expression, program);
    }
    if (program instanceof Error) return { kind: 'unsupported', reason: firstLine(program.message) };
    try {
      const value = program(context);
      return value === true
        ? { kind: 'passed' }
        : value === false
          ? { kind: 'failed' }
          : { kind: 'unsupported', reason: `the rule returned ${typeof value}, not a bool` };
    } catch (error) {
      const message = firstLine((error as Error).message);
      // A missing field or index, a division by zero: errors at the API server too, which rejects the object.
      if ((error as Error).name === 'EvaluationError' && RUNTIME_FAILURE.test(message)) return { kind: 'failed', error: message };
      // Anything else is this evaluator's limit, never a reason to block a change.
      return { kind: 'unsupported', reason: message };
    }
  }

  private message(rule: ValidationRule, schema: JsonObject, value: unknown, error?: string): string {
    if (error) return `rule ${JSON.stringify(rule.rule)} cannot be evaluated on this value: ${error}`;
    if (rule.messageExpression) {
      const outcome = (() => {
        try {
          return this.environment.evaluate(rule.messageExpression!, { self: celValue(schema, value) }) as unknown;
        } catch {
          return undefined;
        }
      })();
      if (typeof outcome === 'string' && outcome.trim() !== '') return outcome;
    }
    return rule.message ?? `failed rule: ${rule.rule}`;
  }
}

/**
 * The old item of each new item of a list, matched by key fields. Only `x-kubernetes-list-type:
 * map` lists correlate at the API server; items of other lists get no `oldSelf`.
 */
function correlate(schema: JsonObject, value: unknown[], old: unknown): unknown[] {
  if (schema['x-kubernetes-list-type'] !== 'map' || !Array.isArray(old)) return [];
  const keys = Array.isArray(schema['x-kubernetes-list-map-keys']) ? (schema['x-kubernetes-list-map-keys'] as string[]) : [];
  const identity = (item: unknown) => (isRecord(item) ? canonicalJson(keys.map((key) => item[key] ?? null)) : undefined);
  const byKey = new Map(old.map((item) => [identity(item), item]));
  return value.map((item) => byKey.get(identity(item)));
}

/**
 * The object as the API server holds it when rules run: schema `default`s filled in where a
 * field is absent, and `null` dropped where the schema is not `nullable` (structural defaulting
 * and pruning, k8s.io/apiextensions-apiserver/pkg/apiserver/schema/defaulting). Without this a
 * rule on a defaulted field would fail here with "no such key" and pass at the API server.
 */
export function structural(schema: JsonObject | undefined, value: unknown, depth = 0): unknown {
  if (!schema || depth > MAX_DEPTH) return value;
  if (Array.isArray(value))
    return isRecord(schema.items) ? value.map((item) => structural(schema.items as JsonObject, item, depth + 1)) : value;
  if (!isRecord(value)) return value;
  const properties = isRecord(schema.properties) ? schema.properties : {};
  const additional = isRecord(schema.additionalProperties) ? schema.additionalProperties : undefined;
  const result: JsonObject = {};
  for (const [key, item] of Object.entries(value)) {
    const child = isRecord(properties[key]) ? (properties[key] as JsonObject) : additional;
    if (item === null && child && child.nullable !== true) continue;
    result[key] = structural(child, item, depth + 1);
  }
  for (const [key, child] of Object.entries(properties)) {
    if (!(key in result) && isRecord(child) && child.default !== undefined)
      result[key] = structural(child, structuredClone(child.default), depth + 1);
  }
  return result;
}

/** JSON as CEL sees it under a schema: integers are CEL ints (BigInt), numbers doubles. */
export function celValue(schema: JsonObject | undefined, value: unknown): unknown {
  if (typeof value === 'bigint') return schema?.type === 'number' ? Number(value) : value;
  if (typeof value === 'number') {
    const type = schema?.type;
    if (type === 'number') return value;
    return Number.isInteger(value) ? BigInt(value) : value;
  }
  if (Array.isArray(value)) return value.map((item) => celValue(isRecord(schema?.items) ? schema.items : undefined, item));
  if (isRecord(value)) {
    const properties = isRecord(schema?.properties) ? schema.properties : {};
    const additional = isRecord(schema?.additionalProperties) ? schema.additionalProperties : undefined;
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, celValue(isRecord(properties[key]) ? properties[key] : additional, item)]),
    );
  }
  return value;
}

interface DefinitionSchemas {
  name: string;
  schemas: Map<string, JsonObject>;
}

function definitionSchemas(object: JsonObject | undefined): DefinitionSchemas | undefined {
  const spec = isRecord(object?.spec) ? object.spec : undefined;
  if (!spec || !Array.isArray(spec.versions)) return undefined;
  const schemas = new Map<string, JsonObject>();
  for (const version of spec.versions) {
    const schema = isRecord(version) && isRecord(version.schema) ? version.schema.openAPIV3Schema : undefined;
    if (isRecord(version) && typeof version.name === 'string' && isRecord(schema)) schemas.set(version.name, schema);
  }
  return { name: String((object!.metadata as JsonObject | undefined)?.name ?? ''), schemas };
}

/**
 * CEL risks of one environment's pairs: every custom resource the change adds or changes, or
 * whose CRD it changes, is checked against the head CRD's rules; a violation the base object
 * already had under the base CRD is not the change's doing and is left out.
 */
export function celRisks(pairs: readonly ResourcePair[], evaluator = new CelRuleEvaluator()): Risk[] {
  const risks: Risk[] = [];
  const definitions = new Map<string, { pair: ResourcePair; base?: DefinitionSchemas; head?: DefinitionSchemas }>();
  for (const pair of pairs) {
    if (pair.key.kind !== 'CustomResourceDefinition' || pair.key.group !== 'apiextensions.k8s.io' || !pair.head) continue;
    const spec = pair.head.resource.object.spec;
    const group = isRecord(spec) ? spec.group : undefined;
    const kind = isRecord(spec) && isRecord(spec.names) ? spec.names.kind : undefined;
    if (typeof group !== 'string' || typeof kind !== 'string') continue;
    definitions.set(`${group}|${kind}`, {
      pair,
      base: definitionSchemas(pair.base?.resource.object),
      head: definitionSchemas(pair.head.resource.object),
    });
  }
  const unevaluatedSeen = new Set<string>();
  for (const pair of pairs) {
    if (!pair.head) continue;
    const definition = definitions.get(`${apiGroup(pair.head.resource.apiVersion)}|${pair.key.kind}`);
    if (!definition?.head) continue;
    const definitionChanged = !definition.pair.base || definition.pair.changed;
    if (!pair.changed && pair.base && !definitionChanged) continue;
    const version = pair.head.resource.apiVersion.split('/').pop()!;
    const schema = definition.head.schemas.get(version);
    if (!schema) continue;
    const old = pair.base && pair.base.resource.apiVersion === pair.head.resource.apiVersion ? pair.base.resource.object : undefined;
    const { violations, unevaluated } = evaluator.evaluate(schema, pair.head.resource.object, old);
    const baseSchema = definition.base?.schemas.get(version);
    const before =
      pair.base && baseSchema
        ? new Set(
            evaluator
              .evaluate(baseSchema, pair.base.resource.object, undefined)
              .violations.filter((v) => !/\boldSelf\b/.test(v.rule.rule))
              .map((v) => `${v.path}|${v.rule.rule}`),
          )
        : new Set<string>();
    for (const violation of violations) {
      if (before.has(`${violation.path}|${violation.rule.rule}`)) continue;
      const transition = /\boldSelf\b/.test(violation.rule.rule);
      risks.push({
        rule: 'cel-validation',
        severity: 'high',
        environment: pair.environment,
        release: pair.release,
        resource: pair.key,
        field: violation.path.replace(/^\./, ''),
        message:
          `${violation.message} (x-kubernetes-validations${transition ? ' transition rule' : ''} ` +
          `of ${definition.head.name}: \`${violation.rule.rule}\`); the API server rejects ` +
          `the ${transition ? 'update' : 'resource'} and the sync fails`,
        fix: transition
          ? 'the rule forbids this change of an existing resource: keep the old value, or replace the resource on purpose'
          : 'fix the value in the chart values so that the rule holds',
      });
    }
    for (const item of unevaluated) {
      const id = `${definition.head.name}|${item.rule.rule}`;
      if (unevaluatedSeen.has(id)) continue;
      unevaluatedSeen.add(id);
      risks.push({
        rule: 'cel-not-evaluated',
        severity: 'low',
        environment: pair.environment,
        release: pair.release,
        resource: pair.key,
        field: item.path.replace(/^\./, '') || '(root)',
        message:
          `rule \`${item.rule.rule}\` of ${definition.head.name} was not evaluated offline (${item.reason}); the API server ` +
          `checks it at sync`,
        fix: `nothing to do here; if the sync fails on ${formatResourceKey(pair.key)}, this rule is the first suspect`,
      });
    }
  }
  return risks;
}

/**
 * CEL's `matches()` is RE2 at the API server, but the evaluator's built-in one uses JavaScript's
 * backtracking RegExp (`'a'*28 + '!'` against `^(a+)+$` takes seconds, longer inputs forever);
 * calls are routed to an RE2 implementation instead. A rule whose string literal contains
 * `matches(` would be rewritten too; no such rule is known.
 */
function withLinearMatches(expression: string): string {
  return expression.replace(/(^|[^A-Za-z0-9_])matches\s*\(/g, '$1linearMatches(');
}

function firstLine(text: string): string {
  return text.split('\n')[0] ?? text;
}
