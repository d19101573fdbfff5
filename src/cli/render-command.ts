import { flagsUsage, parseFlags } from './flags.js';
import { renderOptions } from './render-options.js';
import { checkManifests, hydrate } from '../render/render.js';
import { DIFFERENCE_WORDS } from '../render/manifest-check.js';
import { ForeignFileError } from '../render/manifest-tree.js';
import { renderErrorsOf } from '../render/errors.js';
import { repositoryRoot } from '../git/working-tree.js';
import { ExitCode, type ExitCodeValue } from './exit-codes.js';
import type { Terminal } from './terminal.js';

export const RENDER_USAGE = `Usage: helmfile-hydrate render [options]

Runs \`helmfile template\` for each environment and writes one file per resource to
<output-dir>/<environment>/<release>/. Nothing is written unless every environment renders.

Options:
${flagsUsage('render')}

Releases whose inputs (chart digest, merged values, helmfile state, tool versions) match the
fingerprints recorded beside the manifests keep their committed files and are not rendered.

Exit codes: 0 rendered (with --check: current), 1 a render failed (committed manifests untouched)
or, with --check, a committed file differs, 2 usage error.`;

export async function renderCommand(argv: string[], terminal: Terminal): Promise<ExitCodeValue> {
  const flags = parseFlags(argv, 'render');
  if (flags.help) {
    terminal.out(RENDER_USAGE);
    return ExitCode.Success;
  }
  const outputDir = flags.settings.outputDir;
  const { settings: renderSettings, toolchain, progress } = await renderOptions(flags.settings, terminal);
  const started = Date.now();
  const settings = {
    ...renderSettings,
    outputDir,
    repositoryRoot: await repositoryRoot(process.cwd()).catch(() => undefined),
    incremental: !flags.settings.full,
  };
  try {
    if (flags.settings.check) {
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
