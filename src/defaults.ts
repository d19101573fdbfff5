/**
 * Values that more than one surface (action inputs, CLI flags, library defaults, reports) must agree
 * on, defined once. Each says where it comes from.
 */

/** Where the helmfile lives in the layout this tool is made for (see README): the `helmfile` input and `--helmfile` flag. */
export const DEFAULT_HELMFILE_PATH = 'helmfile';

/** Where rendered manifests are written and committed (Argo CD syncs it): the `output-dir` input and `--output` flag. */
export const DEFAULT_MANIFESTS_DIRECTORY = 'manifests';

/** Unified-diff context lines, as `diff -u` uses by default: the `diff-context` input and `--context` flag. */
export const DEFAULT_DIFF_CONTEXT_LINES = 3;

/** GitHub rejects issue and pull request comment bodies longer than this (REST API: "body is too long (maximum is 65536 characters)"). */
export const GITHUB_COMMENT_MAX_CHARACTERS = 65_536;

/**
 * The login GitHub shows for the workflow's GITHUB_TOKEN, on comments and commits alike, and the
 * no-reply address GitHub attributes that bot's commits to.
 */
export const GITHUB_ACTIONS_BOT_LOGIN = 'github-actions[bot]';
export const GITHUB_ACTIONS_BOT_EMAIL = `41898282+${GITHUB_ACTIONS_BOT_LOGIN}@users.noreply.github.com`;

/**
 * The Pod Security Standards level of a namespace without a `pod-security.kubernetes.io/enforce`
 * label, as the PodSecurity admission plugin defaults it (PodSecurityConfiguration
 * `defaults.enforce: privileged`): the `pod-security-default` input and `--pod-security-default` flag.
 */
export const DEFAULT_POD_SECURITY_LEVEL = 'privileged';
