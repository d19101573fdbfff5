import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { withTemporaryDirectory } from '../fs/temporary-directory.js';

/** A docker config JSON that is not one; the message never quotes the value (it is a secret). */
export class RegistryCredentialsError extends Error {
  override name = 'RegistryCredentialsError';
}

/**
 * Checks that `json` is a docker config (`{"auths": {...}}`, or `credHelpers`/`credsStore`) without
 * ever putting its text in a message (pure).
 */
export function checkDockerConfig(json: string): void {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    throw new RegistryCredentialsError(
      'registry-auth input is not JSON; give the content of a docker config.json ({"auths": {...}}) (value not shown)',
    );
  }
  const config = parsed as Record<string, unknown> | null;
  if (
    typeof config !== 'object' ||
    config === null ||
    Array.isArray(config) ||
    !('auths' in config || 'credHelpers' in config || 'credsStore' in config)
  )
    throw new RegistryCredentialsError('registry-auth input is not a docker config: it has no "auths" (value not shown)');
}

/**
 * Runs `task` with a private directory holding `json` as `config.json` (crane reads it through
 * `DOCKER_CONFIG`), removed afterwards; without credentials the task gets undefined and crane
 * uses the user's own docker login (`~/.docker/config.json`), or none: anonymous tokens.
 */
export async function withDockerConfig<T>(json: string | undefined, task: (directory: string | undefined) => Promise<T>): Promise<T> {
  if (!json) return task(undefined);
  checkDockerConfig(json);
  return withTemporaryDirectory('hydrate-registry-auth-', async (directory) => {
    await writeFile(join(directory, 'config.json'), json, { mode: 0o600 });
    return task(directory);
  });
}

/**
 * Every credential a docker config JSON holds (each `auth`, its decoded `user:password` and
 * password, `password`, `identitytoken`, `registrytoken`), for the action to mask in its log (pure).
 */
export function dockerConfigSecrets(json: string): string[] {
  let auths: unknown;
  try {
    auths = (JSON.parse(json) as { auths?: unknown }).auths;
  } catch {
    return [];
  }
  if (typeof auths !== 'object' || auths === null) return [];
  const secrets: string[] = [];
  for (const entry of Object.values(auths)) {
    if (typeof entry !== 'object' || entry === null) continue;
    const fields = entry as Record<string, unknown>;
    for (const name of ['auth', 'password', 'identitytoken', 'registrytoken']) {
      const value = fields[name];
      if (typeof value === 'string' && value) secrets.push(value);
    }
    if (typeof fields.auth === 'string') {
      const decoded = Buffer.from(fields.auth, 'base64').toString('utf8');
      const password = decoded.slice(decoded.indexOf(':') + 1);
      secrets.push(...[decoded, password].filter(Boolean));
    }
  }
  return [...new Set(secrets)];
}
