/**
 * Installs the pinned tools (tools.json) into the cache, e.g. before running tests offline.
 * Usage: tsx scripts/install-tools.ts [tool...]
 */
import { resolveTool } from '../src/tools/resolve.js';
import { TOOL_NAMES, type ToolName } from '../src/tools/manifest.js';

const requested = (process.argv.slice(2) as ToolName[]).filter(Boolean);
for (const name of requested.length ? requested : TOOL_NAMES) {
  if (!TOOL_NAMES.includes(name)) throw new Error(`unknown tool "${name}"; known: ${TOOL_NAMES.join(', ')}`);
  const tool = await resolveTool(name, { log: (m) => process.stderr.write(`${name}: ${m}\n`) });
  process.stdout.write(`${name} ${tool.version} ${tool.path} (${tool.source})\n`);
}
