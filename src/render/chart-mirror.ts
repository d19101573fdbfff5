import { createReadStream } from 'node:fs';
import { chmod, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SettingError } from '../settings/index.js';

/**
 * Where charts come from instead of the repositories the helmfile names: for air-gapped runners
 * and offline tests. The helmfile itself is never edited.
 *
 * helm has no mirror setting (helm/helm#13486, #13597 are open) and helmfile none either, and
 * helmfile runs `helm repo add <name> <url>` and `helm pull oci://...` itself. So helmfile is
 * given a generated helm wrapper (`--helm-binary`) that rewrites repository URLs and OCI
 * references in helm's arguments and then runs the real helm. Everything helm stores (the
 * repository list, the index cache) stays in the helm home of that helmfile process, so the
 * mirror works with any HELM_* environment, including a fresh one per process.
 */
export type MirrorLocation = { url: string } | { directory: string };

export interface ChartMirrorRule {
  /** `https://charts.example.org/stable` or `oci://ghcr.io/org/charts` (no trailing slash). */
  source: string;
  target: MirrorLocation;
}

export interface ChartMirrorSettings {
  /**
   * Every HTTP repository `<name>` of the helmfile is read from `<base>/<name>` (an `index.yaml`
   * there), every OCI chart `oci://<host>/<path>/<chart>` from the HTTP repository
   * `<base>/<host>/<path>`.
   */
  base?: MirrorLocation;
  /** `SOURCE=TARGET` prefix mappings; they win over `base`. */
  rules: ChartMirrorRule[];
}

/** A chart mirror value that cannot work: the chart mirror setting, quoting the value. */
export class ChartMirrorError extends SettingError {
  override name = 'ChartMirrorError';

  constructor(value: string, problem: string, fix: string) {
    super('chartMirror', value, problem, fix);
  }
}

const MIRROR_FORMS =
  'use a directory, an http(s) URL, or SOURCE=TARGET (e.g. https://charts.jetstack.io=/srv/charts/jetstack or ' +
  'oci://ghcr.io/org/charts=oci://registry.internal/org/charts)';

/**
 * Parses the chart mirror setting, one entry per value. Directories are resolved against
 * `baseDirectory` now, because renders run in other directories (exported commits).
 */
export function parseChartMirror(entries: readonly string[], baseDirectory: string): ChartMirrorSettings | undefined {
  const settings: ChartMirrorSettings = { rules: [] };
  for (const raw of entries.map((entry) => entry.trim()).filter(Boolean)) {
    const rule = /^((?:https?|oci):\/\/[^=\s]+)=(.+)$/.exec(raw);
    if (rule) {
      const source = trimSlashes(rule[1]!);
      const target = parseLocation(rule[2]!.trim(), baseDirectory, raw);
      if (!source.startsWith('oci://') && 'url' in target && target.url.startsWith('oci://')) {
        throw new ChartMirrorError(
          raw,
          'an HTTP repository cannot be mirrored by an OCI registry (helm repo add takes no oci:// URL)',
          'map it to an http(s) URL or a directory',
        );
      }
      if (settings.rules.some((existing) => existing.source === source))
        throw new ChartMirrorError(raw, `${source} is mapped twice`, 'keep one mapping');
      settings.rules.push({ source, target });
      continue;
    }
    const base = parseLocation(raw, baseDirectory, raw);
    if ('url' in base && base.url.startsWith('oci://')) {
      throw new ChartMirrorError(raw, 'an OCI registry can only mirror OCI repositories', `map each one: oci://SOURCE=${raw}`);
    }
    if (settings.base)
      throw new ChartMirrorError(
        raw,
        `only one mirror for every repository can be given (already ${describeLocation(settings.base)})`,
        'map the others with SOURCE=TARGET',
      );
    settings.base = base;
  }
  return settings.base || settings.rules.length > 0 ? settings : undefined;
}

function parseLocation(value: string, baseDirectory: string, raw: string): MirrorLocation {
  if (/^(https?|oci):\/\/[^/\s]+/.test(value)) return { url: trimSlashes(value) };
  if (value.startsWith('file://')) return { directory: fileURLToPath(value) };
  if (/^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(value)) throw new ChartMirrorError(raw, `"${value}" is not a supported location`, MIRROR_FORMS);
  return { directory: resolve(baseDirectory, value) };
}

function describeLocation(location: MirrorLocation): string {
  return 'url' in location ? location.url : location.directory;
}

function trimSlashes(url: string): string {
  return url.replace(/\/+$/, '');
}

/** The mirror with every directory replaced by the URL it is served at: what the wrapper applies. */
export interface ChartMirrorPlan {
  base?: string;
  rules: Array<{ source: string; target: string }>;
}

/**
 * helm's arguments with repository URLs and OCI references moved to the mirror:
 * - `repo add NAME URL`: URL -> the rule's target, else `<base>/NAME`;
 * - an argument starting with a rule's source (an `oci://` chart, a `--repo` URL) -> the target;
 *   an OCI chart without a rule -> `<base>/<host>/<path>`;
 * - an OCI chart that lands on an HTTP repository becomes `CHART --repo REPOSITORY`, which
 *   `helm pull`, `template` and `show` accept.
 *
 * Self-contained on purpose (no imports, no outer names): its source text is embedded into the
 * generated wrapper script, so the wrapper runs exactly this tested function.
 */
export function rewriteHelmArguments(args: readonly string[], plan: ChartMirrorPlan): string[] {
  const mapped = (value: string): string | undefined => {
    const trimmed = value.replace(/\/+$/, '');
    for (const rule of plan.rules) {
      if (trimmed === rule.source || trimmed.startsWith(`${rule.source}/`)) return rule.target + trimmed.slice(rule.source.length);
    }
    return undefined;
  };
  const result = [...args];
  const repo = result.findIndex((arg, index) => arg === 'repo' && result[index + 1] === 'add');
  if (repo !== -1 && result.length > repo + 3) {
    const name = result[repo + 2]!;
    const url = result[repo + 3]!;
    result[repo + 3] = mapped(url) ?? (plan.base === undefined ? url : `${plan.base}/${name}`);
    return result;
  }
  const appended: string[] = [];
  for (let index = 0; index < result.length; index++) {
    const arg = result[index]!;
    if (!/^(https?|oci):\/\//.test(arg)) continue;
    let target = mapped(arg);
    if (target === undefined && plan.base !== undefined && arg.startsWith('oci://'))
      target = `${plan.base}/${arg.slice('oci://'.length).replace(/\/+$/, '')}`;
    if (target === undefined) continue;
    if (arg.startsWith('oci://') && !target.startsWith('oci://')) {
      const slash = target.lastIndexOf('/');
      result[index] = target.slice(slash + 1);
      appended.push('--repo', target.slice(0, slash));
    } else {
      result[index] = target;
    }
  }
  return [...result, ...appended];
}

/** A running mirror: the helm binary to give helmfile, and how to stop it. */
export interface ActiveChartMirror {
  /** The wrapper (or the real helm when no mirror is set). */
  helm: string;
  /** The URLs actually used, for logs. */
  plan?: ChartMirrorPlan;
  close(): Promise<void>;
}

/**
 * Starts what the mirror needs: an HTTP server on 127.0.0.1 for mirror directories (helm has no
 * file:// getter) and the helm wrapper. No settings: the real helm, nothing started.
 */
export async function startChartMirror(settings: ChartMirrorSettings | undefined, realHelm: string): Promise<ActiveChartMirror> {
  if (!settings) return { helm: realHelm, close: async () => {} };
  const directories = [settings.base, ...settings.rules.map((rule) => rule.target)].flatMap((location) =>
    location && 'directory' in location ? [location.directory] : [],
  );
  for (const directory of directories) {
    const info = await stat(directory).catch(() => undefined);
    if (!info?.isDirectory()) {
      throw new ChartMirrorError(
        directory,
        'the directory does not exist',
        'it must hold one directory per repository (<mirror>/<repository name>/index.yaml)',
      );
    }
  }
  const unique = [...new Set(directories)];
  const server = unique.length > 0 ? await serveDirectories(unique) : undefined;
  const url = (location: MirrorLocation): string =>
    'url' in location ? location.url : `${server!.url}/${unique.indexOf(location.directory)}`;
  const plan: ChartMirrorPlan = {
    ...(settings.base ? { base: url(settings.base) } : {}),
    rules: settings.rules.map((rule) => ({ source: rule.source, target: url(rule.target) })),
  };
  let scratch: string | undefined;
  try {
    scratch = await mkdtemp(join(tmpdir(), 'helmfile-hydrate-helm-'));
    const helm = join(scratch, 'helm');
    const script = join(scratch, 'helm-mirror.cjs');
    await writeFile(script, helmWrapperScript(realHelm, plan));
    await writeFile(helm, helmEntryScript(process.execPath, script, realHelm));
    await chmod(helm, 0o755);
    const directory = scratch;
    return {
      helm,
      plan,
      close: async () => {
        await server?.close();
        await rm(directory, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await server?.close();
    if (scratch) await rm(scratch, { recursive: true, force: true });
    throw error;
  }
}

/**
 * The POSIX sh entry point helmfile runs as helm (a `#!` line cannot hold a Node path with spaces
 * or over 127 bytes). rewriteHelmArguments changes only `repo add` and arguments holding a URL;
 * every other call (`helm version`, `template` of a pulled chart, `dependency build`...) goes to
 * the real helm directly, sparing a Node start per call. The test is a superset of the function's
 * own: whatever it lets through to Node, the function decides exactly.
 */
export function helmEntryScript(node: string, script: string, realHelm: string): string {
  return [
    '#!/bin/sh',
    'for argument in "$@"; do',
    '  case "$argument" in',
    `    *://*|add) exec ${shellQuote(node)} ${shellQuote(script)} "$@" ;;`,
    '  esac',
    'done',
    `exec ${shellQuote(realHelm)} "$@"`,
    '',
  ].join('\n');
}

function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/**
 * The wrapper helmfile runs as helm (through a sh entry point): Node, the runtime this program
 * already needs, running `rewriteHelmArguments`, then the real helm with the same stdio,
 * environment and exit status.
 */
export function helmWrapperScript(realHelm: string, plan: ChartMirrorPlan): string {
  return [
    '// Generated by helmfile-hydrate for one render (chart mirror); deleted afterwards.',
    "'use strict';",
    "const { spawnSync } = require('node:child_process');",
    // esbuild (tsx, the bundle) with keepNames wraps inner functions in __name(fn, "name").
    'const __name = (target) => target;',
    `const rewriteHelmArguments = ${rewriteHelmArguments.toString()};`,
    `const plan = ${JSON.stringify(plan)};`,
    `const result = spawnSync(${JSON.stringify(realHelm)}, rewriteHelmArguments(process.argv.slice(2), plan), { stdio: 'inherit' });`,
    'if (result.error) {',
    `  const failure = 'helmfile-hydrate chart mirror: cannot run ' + ${JSON.stringify(realHelm)} + ': ' + result.error.message;`,
    "  process.stderr.write(failure + '\\n');",
    '  process.exit(127);',
    '}',
    'if (result.signal) process.kill(process.pid, result.signal);',
    'process.exit(result.status === null ? 1 : result.status);',
    '',
  ].join('\n');
}

interface DirectoryServer {
  url: string;
  close(): Promise<void>;
}

/** Serves `directories[i]` read-only at `/<i>/` on 127.0.0.1 (a random free port). */
async function serveDirectories(directories: readonly string[]): Promise<DirectoryServer> {
  const server: Server = createServer((request, response) => {
    const notFound = () => response.writeHead(404, { 'content-type': 'text/plain' }).end('not found in the chart mirror\n');
    if (request.method !== 'GET' && request.method !== 'HEAD') return void response.writeHead(405).end();
    let pathname: string;
    try {
      pathname = decodeURIComponent(new URL(request.url ?? '/', 'http://mirror').pathname);
    } catch {
      return void notFound();
    }
    const [, index, ...rest] = pathname.split('/');
    const root = directories[Number(index)];
    if (root === undefined || !/^\d+$/.test(index ?? '')) return void notFound();
    const file = resolve(root, ...rest);
    const inside = relative(root, file);
    if (inside === '' || inside.startsWith('..') || isAbsolute(inside) || inside.split(sep).includes('..')) return void notFound();
    stat(file).then(
      (info) => {
        if (!info.isFile()) return notFound();
        response.writeHead(200, {
          'content-type': file.endsWith('.yaml') ? 'application/yaml' : 'application/octet-stream',
          'content-length': info.size,
        });
        if (request.method === 'HEAD') return void response.end();
        createReadStream(file)
          .on('error', () => response.destroy())
          .pipe(response);
      },
      () => notFound(),
    );
  });
  await new Promise<void>((done, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => done());
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}
