/**
 * Credentials for one git command that talks to GitHub (fetch, ls-remote, push), given through
 * git's `GIT_CONFIG_COUNT`/`GIT_CONFIG_KEY_n`/`GIT_CONFIG_VALUE_n` variables (git 2.31+): nothing is
 * written to `.git/config` or any other file, and the token is not in the command line, which
 * every user of the machine can read in /proc. Only that git process and its helpers see it.
 *
 * The header is the one actions/checkout configures (`AUTHORIZATION: basic` of
 * `x-access-token:<token>`), scoped to the GitHub server, so it is never sent anywhere else.
 */
export function gitAuthEnvironment(serverUrl: string, token: string, inherited: NodeJS.ProcessEnv = process.env): Record<string, string> {
  if (!token) return {};
  const key = `http.${serverUrl.replace(/\/+$/, '')}/.extraheader`;
  const header = `AUTHORIZATION: basic ${Buffer.from(`x-access-token:${token}`, 'utf8').toString('base64')}`;
  // Entries already given this way by the workflow are kept; ours follow them.
  const first = Number(inherited.GIT_CONFIG_COUNT ?? 0) || 0;
  const entries: [string, string][] = [
    // An empty value resets the list: a header inherited from another config file is not sent as well.
    [key, ''],
    [key, header],
  ];
  const env: Record<string, string> = { GIT_CONFIG_COUNT: String(first + entries.length) };
  entries.forEach(([name, value], index) => {
    env[`GIT_CONFIG_KEY_${first + index}`] = name;
    env[`GIT_CONFIG_VALUE_${first + index}`] = value;
  });
  return env;
}

/** The GitHub server git talks to: `GITHUB_SERVER_URL` (GitHub Enterprise Server sets its own). */
export function gitHubServerUrl(env: NodeJS.ProcessEnv = process.env): string {
  return env.GITHUB_SERVER_URL || 'https://github.com';
}
