import * as core from '@actions/core';
import { hydrate, RenderFailure } from './render/index.js';
import { prepareToolchain } from './tools/index.js';

/** Reads a list input: one item per line or comma-separated, blanks ignored. */
function listInput(name: string): string[] {
  return core
    .getInput(name)
    .split(/[\n,]/)
    .map((item) => item.trim())
    .filter(Boolean);
}

export async function run(): Promise<void> {
  try {
    const toolchain = await core.group('tools', () => prepareToolchain({ log: (message) => core.info(message) }));
    const outputDir = core.getInput('output-dir') || 'manifests';
    const environments = await core.group('render', () =>
      hydrate(
        { helmfile: core.getInput('helmfile') || 'helmfile', environments: listInput('environments'), outputDir },
        toolchain,
        ({ environment, release, message }) => core.info(`${environment}${release ? `/${release}` : ''}: ${message}`),
      ),
    );
    core.setOutput('resources', environments.reduce((sum, e) => sum + e.releases.reduce((n, r) => n + r.resources.length, 0), 0));
  } catch (error) {
    core.setFailed(error instanceof RenderFailure ? `render failed:\n${error.message}` : (error as Error).message);
  }
}
