/**
 * The settings the library reports problems with, by their library (camelCase) name, and what
 * each surface calls them: the action input (action.yml) and the CLI flag. Library code names a
 * setting only by its key; the action and the CLI each print their own name (see SettingError).
 */
export const SETTING_NAMES = {
  helmfile: { input: 'helmfile', flag: 'helmfile', noun: 'helmfile' },
  environments: { input: 'environments', flag: 'environments', noun: 'environments' },
  kubernetesVersion: { input: 'kubernetes-version', flag: 'kubernetes-version', noun: 'Kubernetes version' },
  kubernetesSchemas: { input: 'kubernetes-schemas', flag: 'kubernetes-schemas', noun: 'Kubernetes schema location' },
  skipKinds: { input: 'skip-kinds', flag: 'skip-kinds', noun: 'kinds to skip' },
  clusterScopedKinds: { input: 'cluster-scoped-kinds', flag: 'cluster-scoped-kinds', noun: 'cluster-scoped kinds' },
  outputDir: { input: 'output-dir', flag: 'output-dir', noun: 'output directory' },
  chartMirror: { input: 'chart-mirror', flag: 'chart-mirror', noun: 'chart mirror' },
  diffContext: { input: 'diff-context', flag: 'diff-context', noun: 'diff context' },
  blockOnRisk: { input: 'block-on-risk', flag: 'block-on-risk', noun: 'risk level that blocks' },
  /** CRD files beside the render: the CLI's `--crd`; the action validates against the CRDs in the render only. */
  extraCrds: { input: undefined, flag: 'crd', noun: 'extra CRD path' },
  /** The GitHub token: only the action talks to GitHub. */
  token: { input: 'token', flag: undefined, noun: 'GitHub token' },
} as const satisfies Record<string, { input: string | undefined; flag: string | undefined; noun: string }>;

/** A setting by its library name. */
export type SettingKey = keyof typeof SETTING_NAMES;

/** Where a setting was given: the action's inputs or the CLI's flags. */
export type SettingSurface = 'action' | 'cli';

/**
 * What `surface` calls the setting, as it begins a message: `--kubernetes-version` in the CLI,
 * `kubernetes-version input` in the action; the noun when that surface has no such setting.
 */
export function settingName(setting: SettingKey, surface: SettingSurface | 'library'): string {
  const names: { input: string | undefined; flag: string | undefined; noun: string } = SETTING_NAMES[setting];
  if (surface === 'cli' && names.flag) return `--${names.flag}`;
  if (surface === 'action' && names.input) return `${names.input} input`;
  return names.noun;
}
