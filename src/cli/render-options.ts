import { renderSettingsOf } from '../compare/settings.js';
import type { RenderProgress, RenderSettings } from '../render/render.js';
import type { SettingValues } from '../settings/table.js';
import { prepareToolchain, type Toolchain } from '../tools/toolchain.js';
import type { Terminal } from './terminal.js';

/** What to render, as every command that renders reads it from its flags (already parsed by the settings table). */
export function renderSettingsOption(settings: SettingValues): RenderSettings {
  return renderSettingsOf(settings);
}

/** Everything a command that renders reads from its flags: what to render, the tools, and progress on stderr. */
export async function renderOptions(
  settings: SettingValues,
  terminal: Terminal,
): Promise<{ settings: RenderSettings; toolchain: Toolchain; progress: RenderProgress }> {
  return {
    settings: renderSettingsOption(settings),
    toolchain: await toolchainOption(settings, terminal),
    progress: progressToTerminal(terminal),
  };
}

/** The pinned helm and helmfile (or those --helm and --helmfile-binary name), reporting on stderr. */
function toolchainOption(settings: SettingValues, terminal: Terminal): Promise<Toolchain> {
  return prepareToolchain({
    helmPath: settings.helm || undefined,
    helmfilePath: settings.helmfileBinary || undefined,
    log: (message) => terminal.err(`tools: ${message}`),
  });
}

/** Render progress on stderr, one line per environment or release. */
function progressToTerminal(terminal: Terminal): RenderProgress {
  return ({ environment, release, message }) => terminal.err(`${environment}${release ? `/${release}` : ''}: ${message}`);
}
