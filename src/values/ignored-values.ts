import { isMap, type ChartValues, type JsonSchema, type TemplateReferences } from './chart-values.js';

/** A key set in a values file that the chart does not declare, so helm silently ignores it. */
export interface IgnoredKey {
  /** Key path from the top of the values file: `['hubble', 'tls', 'autoo']`. */
  path: string[];
  /** The chart's key at the same place nearest in spelling, as a full path; absent when that level declares none. */
  closest?: string[];
}

/**
 * Keys whose contents charts pass through as they are (metadata, scheduling, resources, pod
 * specs), whatever their default is: a chart declaring `resources: {requests: ...}` still accepts
 * `resources.limits`. Matched on the key name; checked against charts' conventions
 * (https://helm.sh/docs/chart_best_practices/values/ and the charts in ../shared/charts).
 */
const FREE_FORM_NAMES = [
  ...['annotations', 'labels', 'nodeSelector', 'tolerations', 'affinity', 'topologySpreadConstraints', 'resources', 'securityContext'],
  ...['env', 'envFrom', 'extraObjects', 'extraManifests', 'extraDeploy', 'config', 'data', 'stringData'],
];
/** Suffixes of prefixed free-form keys (`podAnnotations`, `controllerSecurityContext`). */
const FREE_FORM_SUFFIXES = [
  'Annotations',
  'Labels',
  'SecurityContext',
  'NodeSelector',
  'Tolerations',
  'Affinity',
  'Resources',
  'Env',
  'EnvFrom',
];
const FREE_FORM_KEY = new RegExp(`^(${FREE_FORM_NAMES.join('|')})$|(${FREE_FORM_SUFFIXES.join('|')})$|^(extra|additional)[A-Z]`);

/**
 * Where a key can be declared: a node of values.yaml, of values.schema.json (with its root for
 * `$ref`), or a path the chart's templates read.
 */
type Declaration = { defaults: unknown } | { schema: JsonSchema; root: JsonSchema } | { references: TemplateReferences; path: string[] };

interface Level {
  /** Keys declared here, for "did you mean". */
  keys: Set<string>;
  known: boolean;
  /** Declared with contents the chart does not constrain: nothing below is checked. */
  freeForm: boolean;
  children: Declaration[];
}

/**
 * Every key of `values` (one values file of a release, rendered) that `chart` neither declares in
 * its values.yaml nor in its values.schema.json, walking into subcharts (under their name or alias)
 * and `global`. Free-form maps (an empty map, list or null default, a schema allowing
 * additionalProperties, FREE_FORM_KEY) are not looked into.
 */
export function findIgnoredKeys(values: Record<string, unknown>, chart: ChartValues): IgnoredKey[] {
  const ignored: IgnoredKey[] = [];
  walk(values, chartDeclarations(chart), [], ignored, chart);
  return ignored;
}

function chartDeclarations(chart: ChartValues): Declaration[] {
  return [
    { defaults: chart.defaults },
    ...(chart.schema !== undefined ? [{ schema: chart.schema, root: chart.schema }] : []),
    { references: chart.references, path: [] },
  ];
}

function walk(
  values: Record<string, unknown>,
  declarations: Declaration[],
  path: string[],
  ignored: IgnoredKey[],
  root?: ChartValues,
): void {
  for (const [key, value] of Object.entries(values)) {
    const here = [...path, key];
    const level = lookup(declarations, key);
    if (root) extendWithChartStructure(level, key, root);
    if (!level.known) {
      const closest = nearest(key, levelKeys(declarations, root));
      ignored.push({ path: here, ...(closest !== undefined ? { closest: [...path, closest] } : {}) });
      continue;
    }
    if (level.freeForm || FREE_FORM_KEY.test(key) || !isMap(value) || level.children.length === 0) continue;
    walk(value, level.children, here, ignored);
  }
}

/** At a chart's top level: subcharts, `global` (shared by every subchart), conditions, `tags`. */
function extendWithChartStructure(level: Level, key: string, chart: ChartValues): void {
  if (key === 'tags') {
    level.known = true;
    level.freeForm = true;
  } else if (key === 'global') {
    level.known = true;
    level.children.push(...allCharts(chart).flatMap((each) => globalDeclarations(each)));
    // A chart reading a global it does not declare is common; an empty declaration means free-form.
    if (!level.children.some((declaration) => !('references' in declaration))) level.freeForm = true;
  } else if (chart.subcharts.has(key)) {
    level.known = true;
    const subchart = chart.subcharts.get(key);
    if (subchart) {
      level.children.push(...chartDeclarations(subchart));
      // The subchart's own structure (its subcharts, conditions) under its key.
      level.children.push({ defaults: subchartStructure(subchart, chart, key) });
    } else {
      level.freeForm = true;
    }
  }
}

/** Keys of a subchart helm reads besides its values.yaml: `enabled` from conditions, its own subcharts. */
function subchartStructure(subchart: ChartValues, parent: ChartValues, key: string): Record<string, unknown> {
  const structure: Record<string, unknown> = {};
  for (const condition of parent.conditions) {
    const [head, ...rest] = condition.split('.');
    if (head === key && rest.length === 1) structure[rest[0]!] = false;
  }
  for (const [name, nested] of subchart.subcharts) structure[name] = nested ? { ...nested.defaults } : {};
  return structure;
}

function allCharts(chart: ChartValues): ChartValues[] {
  return [chart, ...[...chart.subcharts.values()].flatMap((subchart) => (subchart ? allCharts(subchart) : []))];
}

function globalDeclarations(chart: ChartValues): Declaration[] {
  const result: Declaration[] = [{ references: chart.references, path: ['global'] }];
  if (isMap(chart.defaults.global)) result.push({ defaults: chart.defaults.global });
  if (chart.schema !== undefined) {
    const property = schemaProperty(chart.schema, 'global', chart.schema);
    if (property !== undefined) result.push({ schema: property, root: chart.schema });
  }
  return result;
}

function lookup(declarations: Declaration[], key: string): Level {
  const level: Level = { keys: new Set(), known: false, freeForm: false, children: [] };
  for (const declaration of declarations) {
    if ('defaults' in declaration) {
      if (!isMap(declaration.defaults) || !Object.hasOwn(declaration.defaults, key)) continue;
      level.known = true;
      const child = declaration.defaults[key];
      // A map keyed like ConfigMap data (`server.insecure`, `application.instanceLabelKey`) is passed on as it is.
      if (
        child === null ||
        Array.isArray(child) ||
        (isMap(child) && (Object.keys(child).length === 0 || Object.keys(child).some((name) => name.includes('.'))))
      )
        level.freeForm = true;
      else if (isMap(child)) level.children.push({ defaults: child });
    } else if ('references' in declaration) {
      const path = [...declaration.path, key].join('.');
      const prefixes = [...declaration.path, key].map((_, index, parts) => parts.slice(0, index + 1).join('.'));
      if (prefixes.some((prefix) => declaration.references.passThrough.has(prefix))) {
        level.known = true;
        level.freeForm = true;
      } else if ([...declaration.references.read].some((read) => read === path || read.startsWith(`${path}.`))) {
        level.known = true;
        level.children.push({ references: declaration.references, path: [...declaration.path, key] });
      }
    } else {
      const property = schemaProperty(declaration.schema, key, declaration.root);
      if (property === undefined) continue;
      level.known = true;
      if (schemaIsFreeForm(property, declaration.root)) level.freeForm = true;
      else level.children.push({ schema: property, root: declaration.root });
    }
  }
  return level;
}

function levelKeys(declarations: Declaration[], chart?: ChartValues): string[] {
  const keys = new Set<string>();
  for (const declaration of declarations) {
    if ('defaults' in declaration) {
      if (isMap(declaration.defaults)) for (const key of Object.keys(declaration.defaults)) keys.add(key);
    } else if ('references' in declaration) {
      for (const read of declaration.references.read) {
        const parts = read.split('.');
        if (parts.length > declaration.path.length && declaration.path.every((part, index) => parts[index] === part))
          keys.add(parts[declaration.path.length]!);
      }
    } else {
      for (const node of schemaBranches(declaration.schema, declaration.root)) {
        if (isMap(node.properties)) for (const key of Object.keys(node.properties)) keys.add(key);
      }
    }
  }
  if (chart) for (const key of chart.subcharts.keys()) keys.add(key);
  return [...keys];
}

/** The schema of `key` below `schema`: a property, or what additionalProperties/patternProperties allow. */
function schemaProperty(schema: JsonSchema, key: string, root: JsonSchema): JsonSchema | undefined {
  let found: JsonSchema | undefined;
  for (const node of schemaBranches(schema, root)) {
    if (isMap(node.properties) && Object.hasOwn(node.properties, key)) return node.properties[key] as JsonSchema;
    if (isMap(node.patternProperties)) {
      for (const [pattern, property] of Object.entries(node.patternProperties)) {
        try {
          if (new RegExp(pattern, 'u').test(key)) found ??= property as JsonSchema;
        } catch {
          found ??= property as JsonSchema;
        }
      }
    }
    if (node.additionalProperties !== undefined && node.additionalProperties !== false)
      found ??= node.additionalProperties === true ? {} : (node.additionalProperties as JsonSchema);
  }
  return found;
}

/** An object schema that names no properties accepts any key: nothing below it is checked. */
function schemaIsFreeForm(schema: JsonSchema, root: JsonSchema): boolean {
  const branches = schemaBranches(schema, root);
  if (branches.length === 0) return true;
  return (
    branches.every((node) => !isMap(node.properties) && !isMap(node.patternProperties)) ||
    branches.some((node) => node.additionalProperties !== undefined && node.additionalProperties !== false)
  );
}

/** The schema and everything it combines with ($ref, allOf, anyOf, oneOf, if/then/else). */
function schemaBranches(schema: JsonSchema, root: JsonSchema, depth = 0): Array<Record<string, unknown>> {
  if (!isMap(schema) || depth > 20) return [];
  const result: Array<Record<string, unknown>> = [schema];
  if (typeof schema.$ref === 'string') {
    const target = resolveReference(schema.$ref, root);
    if (target !== undefined) result.push(...schemaBranches(target, root, depth + 1));
  }
  for (const keyword of ['allOf', 'anyOf', 'oneOf']) {
    const list = schema[keyword];
    if (Array.isArray(list)) for (const item of list) result.push(...schemaBranches(item as JsonSchema, root, depth + 1));
  }
  for (const keyword of ['then', 'else'])
    if (schema[keyword] !== undefined) result.push(...schemaBranches(schema[keyword] as JsonSchema, root, depth + 1));
  return result;
}

/** A local JSON pointer (`#/definitions/probe`); remote references are not followed. */
function resolveReference(reference: string, root: JsonSchema): JsonSchema | undefined {
  if (!reference.startsWith('#')) return undefined;
  let node: unknown = root;
  for (const part of reference.slice(1).split('/').filter(Boolean)) {
    const name = decodeURIComponent(part).replace(/~1/g, '/').replace(/~0/g, '~');
    if (!isMap(node) || !Object.hasOwn(node, name)) return undefined;
    node = node[name];
  }
  return node as JsonSchema;
}

/** The candidate nearest to `key` by edit distance (case-insensitive first; a prefix of the other breaks ties: `hostname` -> `host`). */
export function nearest(key: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of [...candidates].sort()) {
    const [a, b] = [key.toLowerCase(), candidate.toLowerCase()];
    // One name extending the other (`period`/`periodSeconds`) is a likelier slip than equally many edits.
    const distance = a === b ? 0 : a.startsWith(b) || b.startsWith(a) ? Math.min(editDistance(a, b), 2) + 0.5 : editDistance(a, b) + 1;
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++)
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    previous = current;
  }
  return previous[b.length]!;
}
