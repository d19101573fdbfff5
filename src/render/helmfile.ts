import { outputTail, runProgram, type ProgramResult } from '../process/run-program.js';
import { createIsolatedHelmHome } from './helm-home.js';
import { parseBuiltStates, parseListedReleases } from './helmfile-output.js';
import type { HelmfileState } from '../model/helmfile-state.js';
import type { HelmfileRelease } from '../model/release.js';

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
  /** `--skip-deps`: no `helm repo add`/`update` and no `helm dependency build` (local charts with vendored dependencies). */
  skipDeps?: boolean;
}

/** A helmfile command that exited non-zero (or did not run): the one error every HelmfileCommand method throws for it. */
export class HelmfileError extends Error {
  override name = 'HelmfileError';
  constructor(
    /** The subcommand and its arguments, e.g. `build --embed-values`. */
    readonly command: string,
    readonly environment: string,
    readonly file: string,
    /** What helmfile printed: render failures are attributed to releases from it. */
    readonly result: ProgramResult,
  ) {
    super(
      `helmfile ${command} failed for environment "${environment}" (${file}): ` +
        `${result.interruption ?? `exit code ${result.exitCode}`}\n${outputTail(result.stderr || result.stdout)}`,
    );
  }
}

/** helmfile otherwise asks github.com for a newer release on every run (slow offline, noisy in logs). */
const HELMFILE_QUIET_ENV = { HELMFILE_UPGRADE_NOTICE_DISABLED: 'true' };

/** The one place that runs the `helmfile` program. */
export class HelmfileCommand {
  constructor(private readonly options: HelmfileCommandOptions) {}

  /** Releases of an environment, as `helmfile list` reports them (disabled ones included). */
  async listReleases(environment: string): Promise<HelmfileRelease[]> {
    return parseListedReleases(await this.run(environment, 'list', ['list', '--output', 'json']));
  }

  /**
   * `helmfile template` of an environment into `outputDirectory/<release>/...`, one directory per
   * release so that every document can be attributed to the release that produced it.
   */
  async template(environment: string, outputDirectory: string, options: TemplateOptions = {}): Promise<void> {
    await this.run(
      environment,
      'template',
      [
        'template',
        '--output-dir',
        outputDirectory,
        '--output-dir-template',
        '{{ .OutputDir }}/{{ .Release.Name }}',
        '--include-crds',
        '--skip-tests',
        ...(options.kubeVersion ? ['--kube-version', options.kubeVersion] : []),
        ...(options.skipDeps ? ['--skip-deps'] : []),
      ],
      options.selectors,
    );
  }

  /** The states of `helmfile build` (see parseBuiltStates); `embedValues` renders every values file into them. */
  async buildStates(environment: string, options: { embedValues?: boolean } = {}): Promise<HelmfileState[]> {
    const args = ['build', ...(options.embedValues ? ['--embed-values'] : [])];
    return parseBuiltStates(await this.run(environment, args.join(' '), args));
  }

  /** `helmfile fetch`: every release's chart (or the selected releases') into `outputDirectory/<release>/` (remote charts one level deeper). */
  async fetch(environment: string, outputDirectory: string, selectors: readonly string[] = []): Promise<void> {
    await this.run(
      environment,
      'fetch',
      ['fetch', '--output-dir', outputDirectory, '--output-dir-template', '{{ .OutputDir }}/{{ .Release.Name }}'],
      selectors,
    );
  }

  /** Runs one subcommand (`command` names it in errors); its stdout, or a HelmfileError. */
  private async run(environment: string, command: string, args: string[], selectors: readonly string[] = []): Promise<string> {
    const helmHome = await createIsolatedHelmHome(this.options.env);
    let result: ProgramResult;
    try {
      result = await runProgram(
        this.options.helmfile,
        [
          '--file',
          this.options.file,
          '--environment',
          environment,
          '--helm-binary',
          this.options.helm,
          '--no-color',
          ...selectors.flatMap((selector) => ['--selector', selector]),
          ...args,
        ],
        { cwd: this.options.cwd, env: { ...this.options.env, ...helmHome.env, ...HELMFILE_QUIET_ENV } },
      );
    } finally {
      await helmHome.remove();
    }
    if (result.exitCode !== 0) throw new HelmfileError(command, environment, this.options.file, result);
    return result.stdout;
  }
}
