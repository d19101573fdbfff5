/**
 * Options every command that renders accepts, with the same meaning everywhere (for
 * `node:util` parseArgs). Each command's usage text describes them.
 */
export const RENDER_OPTIONS = {
  environment: { type: 'string', short: 'e', multiple: true },
  helmfile: { type: 'string', short: 'f' },
  'cluster-scoped': { type: 'string', multiple: true },
  helm: { type: 'string' },
  'helmfile-binary': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;
