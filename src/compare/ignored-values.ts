import type { Toolchain } from '../tools/toolchain.js';
import { findIgnoredValues } from '../values/release-values.js';
import type { IgnoredValue } from '../values/ignored-value.js';
import type { RenderedSides } from './render-sides.js';
import { checksEverything, type CompareSettings } from './settings.js';

/**
 * Values the head's charts ignore, checked in the head's export (the files the head render used)
 * with the helmfile states the render kept. Informational: a failing check is logged and finds nothing.
 */
export async function checkIgnoredValues(
  renders: RenderedSides,
  settings: CompareSettings,
  toolchain: Toolchain,
  { log, warn }: { log: (message: string) => void; warn: (message: string) => void },
): Promise<IgnoredValue[]> {
  const directory = renders.directories.head;
  if (renders.head.environments.length === 0) return [];
  try {
    // Paths in findings are relative to the export: repository paths, as annotations need.
    const found = await findIgnoredValues({ ...settings, cwd: directory }, toolchain, {
      baseDirectory: directory,
      rendered: renders.head.environments,
      fetchEachEnvironment: checksEverything(settings),
    });
    log(`${found.length} value(s) the charts ignore`);
    return found;
  } catch (error) {
    warn(`values the charts ignore were not checked: ${(error as Error).message}`);
    return [];
  }
}
