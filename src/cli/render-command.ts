import { aliasedOption, CHART_MIRROR_USAGE, RENDER_OPTIONS, renderOptions } from './render-options.js';
import { checkManifests, DIFFERENCE_WORDS, ForeignFileError, hydrate, renderErrorsOf } from '../render/index.js';
import { repositoryRoot } from '../git/working-tree.js';
import { DEFAULT_HELMFILE_PATH, DEFAULT_MANIFESTS_DIRECTORY } from '../defaults.js';
import { parseCommandOptions } from './command-options.js';
import { ExitCode, UsageError, type ExitCodeValue } from './exit-codes.js';
import type { Terminal } from './terminal.js';

export const RENDER_USAGE = `Usage: helmfile-hydrate render [options]

Runs \`helmfile template\` for each environment and writes one file per resource to
<output-dir>/<environment>/<release>/. Nothing is written unless every environment renders.

Options:
  -e, --environments NAMES    Environments to render (comma-separated, repeatable). Default: every
                              environment declared in the helmfile. Alias: --environment.
  -f, --helmfile PATH         helmfile.yaml(.gotmpl) or its directory. Default: ${DEFAULT_HELMFILE_PATH}
  -o, --output-dir DIR        Output directory. Default: ${DEFAULT_MANIFESTS_DIRECTORY}. Alias: --output.
      --cluster-scoped-kinds KINDS
                              Treat these kinds (Kind or Kind.group, comma-separated, repeatable)
                              as cluster-scoped when no CRD in the render says so.
                              Alias: --cluster-scoped.
      --kubernetes-version V  Kubernetes version charts see in .Capabilities.KubeVersion (e.g. 1.35).
                              Default: the helmfile's kubeVersion, else helm's. Alias: --kube-version.
${CHART_MIRROR_USAGE}
      --full                  Render every release, even those whose inputs match the
                              fingerprints recorded in <output-dir>/.helmfile-hydrate.json.
      --check                 Render every release and compare with the committed files in
                              <output-dir> instead of writing: exit 1 naming each file that differs
                              (for pushes to main and schedules).
      --helm PATH             helm binary to use instead of the pinned one.
      --helmfile-binary PATH  helmfile binary to use instead of the pinned one.
  -h, --help                  Show this help.

Releases whose inputs (chart digest, merged values, helmfile state, tool versions) match the
fingerprints recorded beside the manifests keep their committed files and are not rendered.

Exit codes: 0 rendered (with --check: current), 1 a render failed (committed manifests untouched)
or, with --check, a committed file differs, 2 usage error.`;

export async function renderCommand(argv: string[], terminal: Terminal): Promise<ExitCodeValue> {
  const values = parseCommandOptions(argv, {
    ...RENDER_OPTIONS,
    'output-dir': { type: 'string', short: 'o' },
    // Alias of --output-dir.
    output: { type: 'string' },
    full: { type: 'boolean' },
    check: { type: 'boolean' },
  });
  if (values.help) {
    terminal.out(RENDER_USAGE);
    return ExitCode.Success;
  }
  const outputDir = aliasedOption(values, 'output-dir', 'output') ?? DEFAULT_MANIFESTS_DIRECTORY;
  if (outputDir === '') throw new UsageError('--output-dir must not be empty');
  const { settings: renderSettings, toolchain, progress } = await renderOptions(values, terminal);
  const started = Date.now();
  const settings = {
    ...renderSettings,
    outputDir,
    repositoryRoot: await repositoryRoot(process.cwd()).catch(() => undefined),
    incremental: !values.full,
  };
  try {
    if (values.check) {
      const differences = await checkManifests(settings, toolchain, progress);
      for (const difference of differences)
        terminal.out(`${settings.outputDir}/${difference.path} ${DIFFERENCE_WORDS[difference.problem]}`);
      if (differences.length > 0) {
        terminal.err(
          `${differences.length} committed file(s) are not what the helmfile renders; run helmfile-hydrate render and commit the result`,
        );
        return ExitCode.Failure;
      }
      terminal.err(`${settings.outputDir}/ is current (${((Date.now() - started) / 1000).toFixed(1)}s)`);
      return ExitCode.Success;
    }
    const environments = await hydrate(settings, toolchain, progress);
    const count = environments.reduce((sum, e) => sum + e.releases.reduce((n, r) => n + r.resources.length, 0), 0);
    terminal.err(
      `wrote ${count} resource(s) for ${environments.length} environment(s) to ${outputDir}/ ` +
        `in ${((Date.now() - started) / 1000).toFixed(1)}s`,
    );
    return ExitCode.Success;
  } catch (error) {
    if (error instanceof ForeignFileError) {
      terminal.err(`render stopped: ${error.message}`);
      return ExitCode.Failure;
    }
    if (renderErrorsOf(error)) {
      terminal.err(`render failed; nothing was written:\n\n${(error as Error).message}`);
      return ExitCode.Failure;
    }
    throw error;
  }
}
