import { chmod, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SettingError } from '../settings/setting-error.js';
import type { ChartMirrorPlan } from './chart-mirror-plan.js';
import { serveDirectories } from './directory-server.js';

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

/**
 * A chart mirror value that cannot work: the chart mirror setting, quoting the value. A plain
 * SettingError, not a subclass: the settings table imports this module (see setting-error.ts).
 */
function chartMirrorError(value: string, problem: string, fix: string): SettingError {
  return new SettingError('chartMirror', value, problem, fix);
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
        throw chartMirrorError(
          raw,
          'an HTTP repository cannot be mirrored by an OCI registry (helm repo add takes no oci:// URL)',
          'map it to an http(s) URL or a directory',
        );
      }
      if (settings.rules.some((existing) => existing.source === source))
        throw chartMirrorError(raw, `${source} is mapped twice`, 'keep one mapping');
      settings.rules.push({ source, target });
      continue;
    }
    const base = parseLocation(raw, baseDirectory, raw);
    if ('url' in base && base.url.startsWith('oci://')) {
      throw chartMirrorError(raw, 'an OCI registry can only mirror OCI repositories', `map each one: oci://SOURCE=${raw}`);
    }
    if (settings.base)
      throw chartMirrorError(
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
  if (/^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(value)) throw chartMirrorError(raw, `"${value}" is not a supported location`, MIRROR_FORMS);
  return { directory: resolve(baseDirectory, value) };
}

function describeLocation(location: MirrorLocation): string {
  return 'url' in location ? location.url : location.directory;
}

function trimSlashes(url: string): string {
  return url.replace(/\/+$/, '');
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
      throw chartMirrorError(
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
    const planFile = join(scratch, 'plan.json');
    await writeFile(planFile, JSON.stringify(plan));
    await writeFile(helm, helmEntryScript([process.execPath, await helmMirrorProgram(scratch), planFile, realHelm], realHelm));
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
 * own: whatever it lets through to the wrapper program, the function decides exactly.
 */
export function helmEntryScript(wrapper: readonly string[], realHelm: string): string {
  return [
    '#!/bin/sh',
    'for argument in "$@"; do',
    '  case "$argument" in',
    `    *://*|add) exec ${wrapper.map(shellQuote).join(' ')} "$@" ;;`,
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
 * The helm wrapper program (helm-mirror.ts): `dist/helm-mirror.js` beside the bundle that runs
 * this code; from the sources (tests, tsx), the same module bundled into `scratch` first.
 */
async function helmMirrorProgram(scratch: string): Promise<string> {
  const bundled = fileURLToPath(new URL('./helm-mirror.js', import.meta.url));
  if (await isFile(bundled)) return bundled;
  const output = join(scratch, 'helm-mirror.mjs');
  // A development dependency, only reached when running from src/ (never in dist/).
  const esbuild = 'esbuild';
  const { build } = (await import(esbuild)) as typeof import('esbuild');
  await build({
    entryPoints: [fileURLToPath(new URL('./helm-mirror.ts', import.meta.url))],
    outfile: output,
    bundle: true,
    platform: 'node',
    format: 'esm',
    logLevel: 'warning',
  });
  return output;
}

function isFile(path: string): Promise<boolean> {
  return stat(path).then(
    (info) => info.isFile(),
    () => false,
  );
}
