import { parseChartMirror, type ChartMirrorSettings } from '../render/chart-mirror.js';
import { UsageError } from './exit-codes.js';

/**
 * Options every command that renders accepts, with the same meaning everywhere (for
 * `node:util` parseArgs). Each command's usage text describes them.
 */
export const RENDER_OPTIONS = {
  environment: { type: 'string', short: 'e', multiple: true },
  helmfile: { type: 'string', short: 'f' },
  'cluster-scoped': { type: 'string', multiple: true },
  'chart-mirror': { type: 'string', multiple: true },
  helm: { type: 'string' },
  'helmfile-binary': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** The usage lines of --chart-mirror, the same in every command that renders. */
export const CHART_MIRROR_USAGE = `      --chart-mirror MIRROR   Fetch charts from MIRROR instead of the helmfile's repositories
                              (repeatable): a directory or URL holding <repository name>/index.yaml,
                              or SOURCE=TARGET for one repository URL or oci:// prefix.`;

/** --chart-mirror values as render settings; a bad value is a usage error naming it. */
export function chartMirrorOption(values: readonly string[] | undefined): ChartMirrorSettings | undefined {
  try {
    return parseChartMirror(values ?? [], process.cwd());
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}
