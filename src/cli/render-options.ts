import { renderSettingsOf } from '../compare/settings.js';
import type { RenderProgress, RenderSettings } from '../render/render.js';
import type { SettingValues } from '../settings/table.js';
import { PINNABLE_TOOLS, type RepositoryPins } from '../tools/repository-pins.js';
import { describeResolvedTool } from '../tools/tool-pins.js';
import { prepareToolchain, type Toolchain } from '../tools/toolchain.js';
import { checkoutPins } from './repository-pins-option.js';
import type { Terminal } from './terminal.js';

/** What to render, as every command that renders reads it from its flags (already parsed by the settings table). */
export function renderSettingsOption(settings: SettingValues): RenderSettings {
  return renderSettingsOf(settings);
}

/**
 * Everything a command that renders reads from its flags: what to render, the tools, and progress
 * on stderr. The tool versions are those the repository's pin file says, read by `readPins`
 * (default: the checkout's `.helmfile-hydrate.yaml`; `diff` reads the head commit's).
 */
export async function renderOptions(
  settings: SettingValues,
  terminal: Terminal,
  readPins: () => Promise<RepositoryPins | undefined> = () => checkoutPins(settings.helmfile),
): Promise<{ settings: RenderSettings; toolchain: Toolchain; progress: RenderProgress }> {
  return {
    settings: renderSettingsOption(settings),
    toolchain: await toolchainOption(settings, terminal, await readPins()),
    progress: progressToTerminal(terminal),
  };
}

/**
 * helm and helmfile at the versions the repository pins (tools.json's otherwise), or those
 * --helm and --helmfile-binary name, reporting on stderr.
 */
async function toolchainOption(settings: SettingValues, terminal: Terminal, versions: RepositoryPins | undefined): Promise<Toolchain> {
  const toolchain = await prepareToolchain({
    helmPath: settings.helm || undefined,
    helmfilePath: settings.helmfileBinary || undefined,
    versions,
    log: (message) => terminal.err(`tools: ${message}`),
  });
  for (const name of PINNABLE_TOOLS)
    if (toolchain.pins[name].pinnedBy !== 'tools.json')
      terminal.err(`tools: ${describeResolvedTool(toolchain[name], toolchain.pins[name])}`);
  return toolchain;
}

/** Render progress on stderr, one line per environment or release. */
function progressToTerminal(terminal: Terminal): RenderProgress {
  return ({ environment, release, message }) => terminal.err(`${environment}${release ? `/${release}` : ''}: ${message}`);
}
