import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';
import { readTgz } from './chart-archive.js';

/** A JSON schema node as charts write them (draft-07 and later); only what declares keys is read. */
export type JsonSchema = boolean | { [keyword: string]: unknown };

/** What a chart (and each of its subcharts) declares about its values. */
export interface ChartValues {
  name: string;
  version: string;
  /** values.yaml */
  defaults: Record<string, unknown>;
  /** values.schema.json, when the chart has one. */
  schema?: JsonSchema;
  /** Subcharts by the key their values live under: the dependency's alias, else its name. */
  subcharts: Map<string, ChartValues | undefined>;
  /** Dependency conditions (`postgresql.enabled`): keys helm reads although no values.yaml declares them. */
  conditions: string[];
  /** What the chart's templates read: many charts document a value only as a comment in values.yaml. */
  references: TemplateReferences;
}

export interface TemplateReferences {
  /** Dotted paths the templates read (`.Values.persistence.storageClass`, `index .Values "a" "b"`). */
  read: Set<string>;
  /** Paths whose whole content goes into a resource (`toYaml .Values.x`, `range $k, $v := .Values.x`): free-form. */
  passThrough: Set<string>;
}

const VALUES_PATH = String.raw`\$?\.Values((?:\.[A-Za-z_][A-Za-z0-9_]*)+)`;

/** The value paths a chart's templates read or pass through (regular expressions over the template text). */
export function templateReferences(templates: readonly string[]): TemplateReferences {
  const read = new Set<string>();
  const passThrough = new Set<string>();
  const path = (match: string) => match.slice(1);
  for (const source of templates) {
    const text = withVariablesResolved(source);
    for (const match of text.matchAll(new RegExp(VALUES_PATH, 'g'))) read.add(path(match[1]!));
    for (const match of text.matchAll(/index\s+\$?\.Values((?:\.[A-Za-z_][A-Za-z0-9_]*)*)((?:\s+"[^"]+")+)/g)) {
      read.add([...(match[1] ? [path(match[1])] : []), ...[...match[2]!.matchAll(/"([^"]+)"/g)].map((part) => part[1]!)].join('.'));
    }
    for (const pattern of [
      new RegExp(String.raw`(?:toYaml|toJson|toPrettyJson)\s+\(?(?:omit\s+)?${VALUES_PATH}`, 'g'),
      new RegExp(String.raw`${VALUES_PATH}\s*\|\s*(?:toYaml|toJson|toPrettyJson)`, 'g'),
      // range $key, $value := (omit .Values.x "a"): every key of x becomes output.
      new RegExp(String.raw`range\s+\$[A-Za-z_]\w*\s*,\s*\$[A-Za-z_]\w*\s*:=[^}]*?${VALUES_PATH}`, 'g'),
    ]) {
      for (const match of text.matchAll(pattern)) passThrough.add(path(match[1]!));
    }
    // {{- with .Values.x }} ... {{ toYaml . }}: the block's own value is rendered whole.
    for (const match of text.matchAll(new RegExp(String.raw`with\s+${VALUES_PATH}\s*-?}}([\s\S]{0,300}?){{-?\s*end`, 'g'))) {
      if (/(?:toYaml|toJson|toPrettyJson)\s+\.\s|[{(]\s*\.\s*\|\s*(?:toYaml|toJson)/.test(match[2]!)) passThrough.add(path(match[1]!));
    }
  }
  return { read, passThrough };
}

/** `{{ $config := .Values.operatorConfig }} ... $config.log`: reads through a variable become `.Values.operatorConfig.log`. */
function withVariablesResolved(text: string): string {
  // In order, so that a variable name reused in another `define` gets that define's value.
  const aliases = new Map<string, string>();
  const token = new RegExp(String.raw`\$([A-Za-z_]\w*)(\s*:?=\s*(?:\(?\s*(?:omit\s+)?${VALUES_PATH}(?![\w.]))?)?`, 'g');
  return text.replace(token, (whole, name: string, assignment: string | undefined, path: string | undefined) => {
    if (assignment && assignment.includes('=')) {
      if (path) aliases.set(name, path);
      else aliases.delete(name);
      return whole;
    }
    const alias = aliases.get(name);
    return alias === undefined ? whole : `.Values${alias}`;
  });
}

/** Chart files by path relative to the chart's root (`Chart.yaml`, `charts/x.tgz`, `charts/sub/values.yaml`...). */
type ChartFiles = Map<string, Buffer>;

/** Reads a chart directory (as `helm pull --untar` or `helmfile fetch` leave it). */
export async function loadChartDirectory(directory: string): Promise<ChartValues> {
  return chartFromFiles(await readChartFiles(directory), directory);
}

/** Only the files that declare values, recursively through charts/ (subchart directories or archives). */
async function readChartFiles(directory: string): Promise<ChartFiles> {
  const files: ChartFiles = new Map();
  const walk = async (relative: string): Promise<void> => {
    const absolute = join(directory, relative);
    for (const entry of await readdir(absolute, { withFileTypes: true }).catch(() => [])) {
      const path = relative ? `${relative}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        // charts/ and each subchart directory in it, at any depth; never templates/ or files/.
        if (
          entry.name === 'charts' ||
          entry.name === 'templates' ||
          relative === 'charts' ||
          relative.endsWith('/charts') ||
          isTemplate(path)
        )
          await walk(path);
      } else if (
        /^(Chart\.yaml|values\.yaml|values\.schema\.json)$/.test(entry.name) ||
        entry.name.endsWith('.tgz') ||
        (isTemplate(path) && /\.(ya?ml|tpl|txt|json)$/.test(entry.name))
      ) {
        files.set(path, await readFile(join(absolute, entry.name)));
      }
    }
  };
  await walk('');
  return files;
}

/** `templates/...` of the chart or of a subchart directory (`charts/x/templates/...`). */
function isTemplate(path: string): boolean {
  return /(^|\/)templates\//.test(path);
}

function chartFromFiles(files: ChartFiles, where: string): ChartValues {
  const text = (path: string) => files.get(path)?.toString('utf8');
  const chartYaml = text('Chart.yaml');
  if (chartYaml === undefined) throw new Error(`${where} has no Chart.yaml; it is not a chart`);
  const metadata = (parse(chartYaml) ?? {}) as {
    name?: string;
    version?: string;
    dependencies?: Array<{ name?: string; alias?: string; condition?: string }>;
  };
  const defaults = parse(text('values.yaml') ?? '') ?? {};
  const schemaText = text('values.schema.json');
  let schema: JsonSchema | undefined;
  if (schemaText !== undefined) {
    try {
      schema = JSON.parse(schemaText) as JsonSchema;
    } catch (error) {
      throw new Error(`${where}/values.schema.json is not valid JSON: ${(error as Error).message}`);
    }
  }

  // Subcharts found under charts/, by their own name (a directory or an archive).
  const found = new Map<string, ChartValues>();
  for (const [path, content] of files) {
    const directory = /^charts\/([^/]+)\/Chart\.yaml$/.exec(path)?.[1];
    if (directory !== undefined) {
      const prefix = `charts/${directory}/`;
      const nested = new Map(
        [...files].filter(([name]) => name.startsWith(prefix)).map(([name, data]) => [name.slice(prefix.length), data]),
      );
      const chart = chartFromFiles(nested, `${where}/charts/${directory}`);
      found.set(chart.name, chart);
    } else if (/^charts\/[^/]+\.tgz$/.test(path)) {
      const archive = readTgz(content);
      // Archives hold one top directory, the chart's name.
      const top = [...archive.keys()].find((name) => /^[^/]+\/Chart\.yaml$/.test(name))?.split('/')[0];
      if (top === undefined) continue;
      const nested = new Map(
        [...archive].filter(([name]) => name.startsWith(`${top}/`)).map(([name, data]) => [name.slice(top.length + 1), data]),
      );
      const chart = chartFromFiles(nested, `${where}/${path}`);
      found.set(chart.name, chart);
    }
  }
  const subcharts = new Map<string, ChartValues | undefined>();
  const conditions: string[] = [];
  for (const dependency of metadata.dependencies ?? []) {
    if (!dependency.name) continue;
    subcharts.set(dependency.alias || dependency.name, found.get(dependency.name));
    for (const condition of (dependency.condition ?? '')
      .split(',')
      .map((item) => item.trim())
      .filter(Boolean))
      conditions.push(condition);
  }
  // Subcharts vendored without a Chart.yaml entry (helm 2 style requirements) still get values.
  for (const [name, chart] of found) if (![...subcharts.values()].includes(chart)) subcharts.set(name, chart);
  return {
    name: metadata.name ?? '',
    version: metadata.version ?? '',
    defaults: isMap(defaults) ? defaults : {},
    ...(schema !== undefined ? { schema } : {}),
    subcharts,
    conditions,
    // values.yaml too: strings there (loki's `config`) are templates the chart renders with tpl.
    references: templateReferences(
      [...files].filter(([path]) => /^templates\//.test(path) || path === 'values.yaml').map(([, data]) => data.toString('utf8')),
    ),
  };
}

export function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
