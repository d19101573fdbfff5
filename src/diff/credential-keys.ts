/**
 * Words that mark a value as a credential when they name it: `DB_PASSWORD`, `api-key`,
 * `clientSecret`, `sentry.dsn`. Matched per word of the name (split at `-_.`/ and camelCase).
 */
const CREDENTIAL_WORDS = new Set([
  'password',
  'passwd',
  'pwd',
  'pass',
  'passphrase',
  'token',
  'secret',
  'key',
  'credential',
  'credentials',
  'dsn',
  'apikey',
  'private',
  'privatekey',
  'cert',
  'auth',
]);

/**
 * Words whose last position marks any mapping key in any resource (a custom resource's
 * `spec.clientSecret`, `spec.adminPassword`, Helm values' `smtp.secret`). Narrower than
 * CREDENTIAL_WORDS: `key` and `auth` alone appear in `secretKeyRef.key` and taints as names, not
 * values; `secretName` and `existingSecret` are references (see REFERENCE_LAST_WORDS).
 */
const CREDENTIAL_LAST_WORDS = new Set([
  'password',
  'passwd',
  'passphrase',
  'token',
  'apikey',
  'privatekey',
  'credential',
  'credentials',
  'dsn',
  'secret',
]);

/** Joined forms people write as one word: `apikey`, `privatekey`, `accesstoken`, `dbpassword`. */
const CREDENTIAL_SUFFIXES = ['password', 'passwd', 'token', 'apikey', 'privatekey', 'secretkey', 'accesskey', 'credentials', 'dsn'];

function words(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

/**
 * Last words that make a credential-sounding name a reference to a credential rather than the
 * credential itself: `--secret-name=grafana-admin`, `existingSecret`-style `secretRef`,
 * `PASSWORD_FILE=/run/secrets/db`, `tokenPath`. Their values are names and paths that the
 * report must show (and must never scrub from the names of resources).
 */
const REFERENCE_LAST_WORDS = new Set([
  'name',
  'names',
  'ref',
  'refs',
  'file',
  'files',
  'path',
  'paths',
  'dir',
  'directory',
  'namespace',
  'mount',
  'volume',
  'provider',
  'type',
  'ttl',
  'length',
  'enabled',
  'version',
  'header',
  'endpoint',
  'url',
]);

/** First words of Helm values that name an existing object: `existingSecret`, `existingSecretPasswordKey`. */
const REFERENCE_FIRST_WORDS = new Set(['existing']);

function isReference(name: string): boolean {
  const parts = words(name);
  return parts.length > 1 && (REFERENCE_LAST_WORDS.has(parts[parts.length - 1]!) || REFERENCE_FIRST_WORDS.has(parts[0]!));
}

function hasCredentialSuffix(name: string): boolean {
  const joined = name.toLowerCase().replace(/[^a-z0-9]/g, '');
  return CREDENTIAL_SUFFIXES.some((suffix) => joined.endsWith(suffix));
}

/**
 * Answers per name are remembered: the same few hundred keys (`type`, `description`, `name`)
 * repeat across a render, and a multi-megabyte CRD asks about each of them thousands of times.
 */
function memoized(test: (name: string) => boolean): (name: string) => boolean {
  const answers = new Map<string, boolean>();
  return (name) => {
    let answer = answers.get(name);
    if (answer === undefined) {
      answer = test(name);
      if (answers.size < 100_000) answers.set(name, answer);
    }
    return answer;
  };
}

/** A ConfigMap data key or a container env variable name that holds a credential. */
export const isCredentialName = memoized(
  (name) => !isReference(name) && (words(name).some((word) => CREDENTIAL_WORDS.has(word)) || hasCredentialSuffix(name)),
);

/** A mapping key anywhere in a resource whose string value is a credential. */
export const isCredentialField = memoized((name) => {
  const parts = words(name);
  const last = parts[parts.length - 1];
  return !isReference(name) && ((last !== undefined && CREDENTIAL_LAST_WORDS.has(last)) || hasCredentialSuffix(name));
});

/**
 * Lines of an embedded config file (`application.properties`, `config.yaml`, `.env`) that set a
 * credential: `password: x`, `db.password = x`, `API_TOKEN=x`, `"token": "x"`. Group 1 is
 * everything up to the value, group 2 the value.
 */
export const EMBEDDED_CREDENTIAL_LINE = /^(\s*(?:export\s+)?["']?([A-Za-z0-9_.-]+)["']?\s*[:=]\s*)(\S.*?)\s*,?\s*$/;
