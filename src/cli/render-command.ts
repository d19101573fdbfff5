import { parseArgs } from 'node:util';
import { CHART_MIRROR_USAGE, chartMirrorOption, RENDER_OPTIONS } from './render-options.js';
import { ForeignFileError, hydrate, RenderFailure } from '../render/index.js';
import { repositoryRoot } from '../git/working-tree.js';
import { prepareToolchain } from '../tools/index.js';
import { defaultHelmfilePath } from './defaults.js';
import { ExitCode, UsageError, type ExitCodeValue } from './exit-codes.js';
import type { Terminal } from './terminal.js';

export const RENDER_USAGE = `Usage: helmfile-hydrate render [options]

Runs \`helmfile template\` for each environment and writes one file per resource to
<output>/<environment>/<release>/. Nothing is written unless every environment renders.

Options:
  -e, --environment NAME      Environment to render (repeatable). Default: every environment
                              declared in the helmfile.
  -f, --helmfile PATH         helmfile.yaml(.gotmpl) or its directory. Default: ${defaultHelmfilePath}
  -o, --output DIR            Output directory. Default: manifests
      --cluster-scoped KIND   Treat KIND (or Kind.group) as cluster-scoped when no CRD in the
                              render says so (repeatable).
${CHART_MIRROR_USAGE}
      --helm PATH             helm binary to use instead of the pinned one.
      --helmfile-binary PATH  helmfile binary to use instead of the pinned one.
  -h, --help                  Show this help.

Exit codes: 0 rendered, 1 a render failed (committed manifests untouched), 2 usage error.`;

export async function renderCommand(argv: string[], terminal: Terminal): Promise<ExitCodeValue> {
  const { values } = parseArgs({
    args: argv,
    options: {
      ...RENDER_OPTIONS,
      output: { type: 'string', short: 'o' },
      'kube-version': { type: 'string' },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) {
    terminal.out(RENDER_USAGE);
    return ExitCode.Success;
  }
  if (values.output === '') throw new UsageError('--output must not be empty');
  const toolchain = await prepareToolchain({
    helmPath: values.helm,
    helmfilePath: values['helmfile-binary'],
    log: (message) => terminal.err(`tools: ${message}`),
  });
  const started = Date.now();
  try {
    const environments = await hydrate(
      {
        helmfile: values.helmfile ?? defaultHelmfilePath,
        environments: values.environment,
        clusterScopedKinds: values['cluster-scoped'],
        kubeVersion: values['kube-version'],
        chartMirror: chartMirrorOption(values['chart-mirror']),
        outputDir: values.output ?? 'manifests',
        repositoryRoot: await repositoryRoot(process.cwd()).catch(() => undefined),
      },
      toolchain,
      ({ environment, release, message }) => terminal.err(`${environment}${release ? `/${release}` : ''}: ${message}`),
    );
    const count = environments.reduce((sum, e) => sum + e.releases.reduce((n, r) => n + r.resources.length, 0), 0);
    terminal.err(`wrote ${count} resource(s) for ${environments.length} environment(s) to ${values.output ?? 'manifests'}/ in ${((Date.now() - started) / 1000).toFixed(1)}s`);
    return ExitCode.Success;
  } catch (error) {
    if (error instanceof ForeignFileError) {
      terminal.err(`render stopped: ${error.message}`);
      return ExitCode.Failure;
    }
    if (error instanceof RenderFailure) {
      terminal.err(`render failed; nothing was written:\n\n${error.message}`);
      return ExitCode.Failure;
    }
    throw error;
  }
}
