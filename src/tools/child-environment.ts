/**
 * Environment variables never handed to helm, helmfile or other child programs: the action's
 * inputs (the token among them) and the runner's own credentials. A chart's template or a
 * helmfile `exec` could otherwise read and print them.
 */
const WITHHELD_PREFIXES = ['INPUT_', 'ACTIONS_'];
const WITHHELD_NAMES = new Set(['GITHUB_TOKEN', 'GH_TOKEN', 'GITHUB_PAT']);

export function childEnvironment(base: NodeJS.ProcessEnv = process.env, extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(base)) {
    if (value === undefined) continue;
    if (WITHHELD_NAMES.has(name) || WITHHELD_PREFIXES.some((prefix) => name.startsWith(prefix))) continue;
    env[name] = value;
  }
  return { ...env, ...extra };
}
