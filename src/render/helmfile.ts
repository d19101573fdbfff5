import { outputTail, runProgram, type ProgramResult } from '../process/run-program.js';
import { createIsolatedHelmHome } from './helm-home.js';
import type { HelmfileRelease } from './release.js';

export interface HelmfileCommandOptions {
  /** The helmfile binary. */
  helmfile: string;
  /** The helm binary helmfile must use. */
  helm: string;
  /** helmfile.yaml / helmfile.yaml.gotmpl, or a directory holding one. */
  file: string;
  cwd?: string;
  /** The complete environment of the child process (see `childEnvironment`). */
  env: Record<string, string>;
}

export interface TemplateOptions {
  /** `--selector` expressions; all releases when empty. */
  selectors?: readonly string[];
  /** Kubernetes version charts see as `.Capabilities.KubeVersion` (overrides the helmfile's `kubeVersion`). */
  kubeVersion?: string;
}

export type HelmfileResult = ProgramResult;

/** helmfile otherwise asks github.com for a newer release on every run (slow offline, noisy in logs). */
const HELMFILE_QUIET_ENV = { HELMFILE_UPGRADE_NOTICE_DISABLED: 'true' };

/** The one place that runs the `helmfile` program. */
export class HelmfileCommand {
  constructor(private readonly options: HelmfileCommandOptions) {}

  /** Releases of an environment, as `helmfile list` reports them (disabled ones included). */
  async listReleases(environment: string): Promise<HelmfileRelease[]> {
    const result = await this.run(environment, ['list', '--output', 'json']);
    if (result.exitCode !== 0) {
      throw new Error(
        `helmfile list failed for environment "${environment}" (${this.options.file}):\n${tail(result.stderr || result.stdout)}`,
      );
    }
    const start = result.stdout.indexOf('[');
    const raw = JSON.parse(start === -1 ? '[]' : result.stdout.slice(start)) as Array<Record<string, unknown>>;
    return raw.map((entry) => ({
      name: String(entry.name ?? ''),
      namespace: String(entry.namespace ?? ''),
      chart: String(entry.chart ?? ''),
      version: String(entry.version ?? ''),
      enabled: entry.enabled !== false && entry.installed !== false,
      labels: String(entry.labels ?? ''),
    }));
  }

  /**
   * `helmfile template` of an environment into `outputDirectory/<release>/...`, one directory per
   * release so that every document can be attributed to the release that produced it.
   */
  template(environment: string, outputDirectory: string, options: TemplateOptions = {}): Promise<HelmfileResult> {
    return this.run(environment, [
      ...(options.selectors ?? []).flatMap((selector) => ['--selector', selector]),
      'template',
      '--output-dir',
      outputDirectory,
      '--output-dir-template',
      '{{ .OutputDir }}/{{ .Release.Name }}',
      '--include-crds',
      '--skip-tests',
      ...(options.kubeVersion ? ['--kube-version', options.kubeVersion] : []),
    ]);
  }

  /** `helmfile build`: the state after templating; `embedValues` renders every values file into it. */
  build(environment: string, options: { embedValues?: boolean } = {}): Promise<HelmfileResult> {
    return this.run(environment, ['build', ...(options.embedValues ? ['--embed-values'] : [])]);
  }

  /** `helmfile fetch`: every release's chart into `outputDirectory/<release>/` (remote charts one level deeper). */
  fetch(environment: string, outputDirectory: string): Promise<HelmfileResult> {
    return this.run(environment, [
      'fetch',
      '--output-dir',
      outputDirectory,
      '--output-dir-template',
      '{{ .OutputDir }}/{{ .Release.Name }}',
    ]);
  }

  private async run(environment: string, args: string[]): Promise<HelmfileResult> {
    const helmHome = await createIsolatedHelmHome(this.options.env);
    try {
      return await runProgram(
        this.options.helmfile,
        ['--file', this.options.file, '--environment', environment, '--helm-binary', this.options.helm, '--no-color', ...args],
        { cwd: this.options.cwd, env: { ...this.options.env, ...helmHome.env, ...HELMFILE_QUIET_ENV } },
      );
    } finally {
      await helmHome.remove();
    }
  }
}

/** The last lines of a program's output (kept under its old name for the render modules). */
export const tail = outputTail;
