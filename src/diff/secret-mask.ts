import { parse as parseYaml } from 'yaml';
import { EMBEDDED_CREDENTIAL_LINE, isCredentialField, isCredentialName } from './credential-keys.js';
import { toNormalizedYaml } from './normalized-yaml.js';
import { decodedByteLength, SensitiveValues } from './sensitive-values.js';
import type { Side } from '../side.js';

/**
 * Secret masking, applied to both sides of a resource before anything is diffed, so no secret
 * value ever reaches a diff. Markers still say what happened, per key, like helm-diff:
 *   unchanged: both sides `<secret: unchanged, 24 bytes>`
 *   changed:   base `<secret: old value, 12 bytes>`, head `<secret: changed, 12 -> 16 bytes>`
 *   added:     head `<secret: added, 16 bytes>`;  removed: base `<secret: removed, 12 bytes>`
 * Byte counts are of the decoded value for Secret `data`, of the UTF-8 text otherwise.
 */

/** Secret keys that charts fill with freshly generated certificates on every render. */
const GENERATED_CERTIFICATE_KEYS = new Set(['tls.crt', 'tls.key', 'ca.crt', 'ca.key']);
export const GENERATED_CERTIFICATE_MARKER = '<secret: generated certificate data>';

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----[\s\S]*?-----END \1-----/g;
/** vals references (`ref+vault://...`, `ref+awssecrets://...`) and SOPS-encrypted values. */
const VALS_REFERENCE = /ref\+[a-z0-9]+:\/\/[^\s"'`]+/g;
const SOPS_VALUE = /ENC\[[A-Z0-9_]+,data:[^\]]*\]/g;
/** `scheme://user:password@host` and `redis://:password@host`: the password part (may hold `/`). */
const URL_PASSWORD = /(\b[a-z][a-z0-9+.-]*:\/\/[^\s/:@]*:)([^\s@]+)(@)/gi;
/**
 * `https://<token>@host`: a user part this long and without a password is a token (GitHub's
 * `ghp_...`, GitLab's `glpat-...` are 20 and more); `git`, `admin`, `oauth2` stay visible.
 */
const URL_TOKEN_USER = /(\b[a-z][a-z0-9+.-]*:\/\/)([A-Za-z0-9_.~-]{20,})(@)/gi;
/** `--password=x`, `-token=x` command-line flags. */
const CREDENTIAL_FLAG = /^(--?([A-Za-z0-9_.-]+)=)(.+)$/;
/** A whole list item that is a flag taking the next item as its value: `["--token", "x"]`. */
const SEPARATE_FLAG = /^--?([A-Za-z0-9_.-]+)$/;
/**
 * `Authorization: Bearer x` / `Basic x` anywhere in a string (a header in an annotation, a
 * `curl -H` in a command). Tokens shorter than 8 characters are words, not credentials.
 */
const AUTHORIZATION_SCHEME = /(\b(?:Bearer|Basic)\s+)([A-Za-z0-9._~+/-]{8,}=*)/gi;
/**
 * A credential set inside a longer string: `-Djavax.net.ssl.keyStorePassword=x` in JAVA_OPTS,
 * `--token x` or `DB_PASSWORD=x` in a shell command, `?password=x` in a URL, `password=x` in a
 * key-value DSN. Group 2 is the name (with its dashes), group 4 the value.
 */
const INLINE_ASSIGNMENT = /(^|[\s;&?,'"(])(-{0,2}[A-Za-z_][A-Za-z0-9_.-]*)(=|\s+(?=[^-\s]))(['"]?)([^\s'"&;,)]+)/g;
/** A string this long or longer that looks like a YAML or JSON document is parsed and masked as one. */
const EMBEDDED_DOCUMENT_MIN_LENGTH = 8;

export interface MaskedPair {
  base: unknown;
  head: unknown;
  /** Secret keys whose only change is certificate data generated anew on each render. */
  regeneratedCertificates: boolean;
}

export interface MaskOptions {
  /** Treat differing `tls.crt`/`tls.key`/`ca.crt` of a Secret as noise (same marker on both sides). */
  generatedCertificatesAsNoise: boolean;
}

/** Masks both sides of one resource (either side may be absent); records what it masked. */
export function maskResourcePair(base: unknown, head: unknown, sensitive: SensitiveValues, options: MaskOptions): MaskedPair {
  const masker = new Masker(sensitive, options);
  return {
    base: base === undefined ? undefined : masker.resource(base, head, 'base'),
    head: head === undefined ? undefined : masker.resource(head, base, 'head'),
    regeneratedCertificates: masker.regeneratedCertificates,
  };
}

/**
 * Masks the secrets that can sit inside any text (PEM blocks, vals/SOPS references, URL
 * passwords) in a whole document at once, comparing with the other side's text.
 */
export function maskInlineText(own: string, other: string | undefined, side: Side, sensitive: SensitiveValues): string {
  return new Masker(sensitive, { generatedCertificatesAsNoise: false }).inline(own, other, side);
}

/**
 * Whether a string holds a credential the masking rules would hide (a Bearer token, a URL
 * password, `--token=x`, an embedded document with a password): text quoting it must not.
 */
export function containsCredential(text: string): boolean {
  return new Masker(new SensitiveValues(), { generatedCertificatesAsNoise: false }).tree(text, undefined, 'head', '') !== text;
}

class Masker {
  regeneratedCertificates = false;

  constructor(
    private readonly sensitive: SensitiveValues,
    private readonly options: MaskOptions,
  ) {}

  resource(own: unknown, other: unknown, side: Side): unknown {
    if (!isRecord(own)) return own;
    const otherRecord = isRecord(other) ? other : undefined;
    if (own.apiVersion === 'v1' && own.kind === 'ConfigMap') {
      return this.withFields(own, otherRecord, side, ['data', 'binaryData'], (field, value, counterpart) =>
        this.configMapData(value, counterpart, side),
      );
    }
    return this.tree(own, otherRecord, side, '');
  }

  /**
   * A mapping whose `fields` (when they are mappings) are masked by `mask` and the rest by the
   * tree walk; each field is walked once (a ConfigMap's dashboards are its largest strings). Key order is kept.
   */
  private withFields(
    own: Record<string, unknown>,
    other: Record<string, unknown> | undefined,
    side: Side,
    fields: readonly string[],
    mask: (field: string, value: Record<string, unknown>, counterpart: unknown) => Record<string, unknown>,
  ): Record<string, unknown> {
    const special = fields.filter((field) => isRecord(own[field]));
    const rest: Record<string, unknown> = { ...own };
    for (const field of special) delete rest[field];
    const walked = this.tree(rest, other, side, '') as Record<string, unknown>;
    const result: Record<string, unknown> = {};
    for (const key of Object.keys(own))
      result[key] = special.includes(key) ? mask(key, own[key] as Record<string, unknown>, other?.[key]) : walked[key];
    return result;
  }

  private secretData(own: Record<string, unknown>, other: unknown, side: Side, base64: boolean): Record<string, unknown> {
    const otherMap = isRecord(other) ? other : {};
    const result: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(own)) {
      const text = value === null || value === undefined ? '' : String(value);
      const counterpart = otherMap[key];
      const otherText = counterpart === null || counterpart === undefined ? undefined : String(counterpart);
      this.sensitive.add(text);
      if (
        this.options.generatedCertificatesAsNoise &&
        GENERATED_CERTIFICATE_KEYS.has(key) &&
        otherText !== undefined &&
        otherText !== text
      ) {
        this.regeneratedCertificates = true;
        result[key] = GENERATED_CERTIFICATE_MARKER;
        continue;
      }
      const size = (s: string) => (base64 ? decodedByteLength(s) : Buffer.byteLength(s, 'utf8'));
      result[key] = marker(side, size(text), otherText === undefined ? undefined : size(otherText), otherText === text);
    }
    return result;
  }

  private configMapData(own: Record<string, unknown>, other: unknown, side: Side): Record<string, unknown> {
    const otherMap = isRecord(other) ? other : {};
    const result: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(own)) {
      const counterpart = otherMap[key];
      if (typeof value !== 'string') {
        result[key] = value;
      } else if (isCredentialName(key)) {
        result[key] = this.maskValue(value, typeof counterpart === 'string' ? counterpart : undefined, side);
      } else {
        result[key] = this.text(value, typeof counterpart === 'string' ? counterpart : undefined, side, true);
      }
    }
    return result;
  }

  /** Masks `password = x` lines of an embedded config file, comparing with the same key on the other side. */
  private embeddedCredentials(text: string, other: string | undefined, side: Side): string {
    if (!text.includes('\n') && !/[:=]/.test(text)) return text;
    const otherValues = new Map<string, string>();
    for (const line of (other ?? '').split('\n')) {
      const match = EMBEDDED_CREDENTIAL_LINE.exec(line);
      if (match && !otherValues.has(group(match, 1))) otherValues.set(group(match, 1), group(match, 3));
    }
    return text
      .split('\n')
      .map((line) => {
        const match = EMBEDDED_CREDENTIAL_LINE.exec(line);
        if (!match) return line;
        const [prefix, name, value] = [group(match, 1), group(match, 2), group(match, 3)];
        if (!isCredentialName(name) || isMarker(value) || /^[|>][-+0-9]*$|^[{[]$/.test(value)) return line;
        return `${prefix}${this.maskValue(value, other === undefined ? undefined : otherValues.get(prefix), side)}`;
      })
      .join('\n');
  }

  /** Walks a value with its counterpart on the other side (maps by key, named list items by name). */
  tree(own: unknown, other: unknown, side: Side, parentKey: string): unknown {
    if (typeof own === 'string') return this.text(own, typeof other === 'string' ? other : undefined, side);
    if (Array.isArray(own)) {
      const counterparts = counterpartItems(own, Array.isArray(other) ? other : []);
      let copy: unknown[] | undefined;
      own.forEach((item, index) => {
        let next = this.tree(item, counterparts[index], side, parentKey);
        // `{name: DB_PASSWORD, value: x}`: env of a container, `extraEnv` of Helm values, any such list.
        if (
          isRecord(item) &&
          typeof item.name === 'string' &&
          item.value !== undefined &&
          item.value !== null &&
          isCredentialName(item.name)
        ) {
          const otherValue =
            counterparts[index] && isRecord(counterparts[index]) ? (counterparts[index] as Record<string, unknown>).value : undefined;
          next = { ...(next as Record<string, unknown>), value: this.maskScalars(item.value, otherValue, side) };
        }
        // `["--token", x]`: the flag is one item, its value the next (aligned by index with the other side).
        const previous = own[index - 1];
        if (typeof item === 'string' && typeof previous === 'string' && !item.startsWith('-') && !isMarker(item)) {
          const flag = SEPARATE_FLAG.exec(previous);
          if (flag && isCredentialName(group(flag, 1))) {
            const otherList = Array.isArray(other) ? other : [];
            const counterpart =
              otherList[index - 1] === previous && typeof otherList[index] === 'string'
                ? (otherList[index] as string)
                : other === undefined
                  ? undefined
                  : '';
            next = this.maskValue(item, counterpart, side);
          }
        }
        if (next !== item) (copy ??= [...own])[index] = next;
      });
      return copy ?? own;
    }
    if (!isRecord(own)) return own;
    if (own.kind === 'Secret' && (isRecord(own.data) || isRecord(own.stringData))) return this.secret(own, other, side);
    const otherMap = isRecord(other) ? other : undefined;
    let copy: Record<string, unknown> | undefined;
    for (const [key, value] of Object.entries(own)) {
      const counterpart = otherMap?.[key];
      const next =
        (typeof value === 'string' || typeof value === 'number') && isCredentialField(key)
          ? this.maskValue(
              String(value),
              typeof counterpart === 'string' || typeof counterpart === 'number' ? String(counterpart) : undefined,
              side,
            )
          : this.tree(value, counterpart, side, key);
      if (next !== value) (copy ??= { ...own })[key] = next;
    }
    return copy ?? own;
  }

  /**
   * A Secret wherever it sits: a resource, an item of a `List` (nested at any depth), a
   * custom resource's template, a parsed last-applied-configuration or Helm values.
   */
  private secret(own: Record<string, unknown>, other: unknown, side: Side): Record<string, unknown> {
    return this.withFields(own, isRecord(other) ? other : undefined, side, ['data', 'stringData'], (field, value, counterpart) =>
      this.secretData(value, counterpart, side, field === 'data'),
    );
  }

  /** Any string value: an embedded YAML/JSON document is masked as a structure, other text line by line and inline. */
  private text(own: string, other: string | undefined, side: Side, configValue = false): string {
    const document = this.embeddedDocument(own, other, side);
    if (document !== undefined) return document;
    const inline = this.inline(own, other, side);
    // Config file lines are in multi-line strings; a ConfigMap value may be one line (`password=x`).
    return own.includes('\n') || (configValue && /[:=]/.test(own)) ? this.embeddedCredentials(inline, other, side) : inline;
  }

  /**
   * A string holding a YAML or JSON document (Helm values of an Argo CD Application,
   * `kubectl.kubernetes.io/last-applied-configuration`, a config file) is parsed and masked with
   * the same rules as a resource, so a Secret, an env list or a credential key inside it is
   * masked too. Written back (YAML as normalized YAML, JSON as compact JSON) only when masking
   * changed either side, so both sides keep the same layout and the diff stays line by line.
   */
  private embeddedDocument(own: string, other: string | undefined, side: Side): string | undefined {
    // Parsing is the expensive part of masking a render: only documents that may need it are parsed.
    if (!mayHoldStructuredCredential(own) && (other === undefined || !mayHoldStructuredCredential(other))) return undefined;
    const parsed = parseDocument(own);
    if (parsed === undefined) return undefined;
    const otherParsed = other === undefined ? undefined : parseDocument(other);
    const masked = this.tree(parsed.value, otherParsed?.value, side, '');
    // Whether the other side needs masking decides the layout as much as this side does.
    const otherMasked = otherParsed
      ? new Masker(new SensitiveValues(), this.options).tree(otherParsed.value, parsed.value, side === 'base' ? 'head' : 'base', '')
      : undefined;
    if (masked === parsed.value && (otherParsed === undefined || otherMasked === otherParsed.value)) return undefined;
    if (parsed.json) return JSON.stringify(masked);
    const written = toNormalizedYaml(masked).replace(/\n$/, own.endsWith('\n') ? '\n' : '');
    // Keys the structural rules leave alone (`secret: x`) are still masked line by line, as in any config file.
    return this.embeddedCredentials(written, otherParsed ? toNormalizedYaml(otherParsed.value) : undefined, side);
  }

  /** Every scalar of a credential's value (a string, or whatever a template put there instead). */
  private maskScalars(own: unknown, other: unknown, side: Side): unknown {
    if (typeof own === 'string' || typeof own === 'number')
      return this.maskValue(String(own), typeof other === 'string' || typeof other === 'number' ? String(other) : undefined, side);
    if (Array.isArray(own)) return own.map((item, index) => this.maskScalars(item, Array.isArray(other) ? other[index] : undefined, side));
    if (isRecord(own))
      return Object.fromEntries(
        Object.entries(own).map(([key, value]) => [key, this.maskScalars(value, isRecord(other) ? other[key] : undefined, side)]),
      );
    return own;
  }

  /** Replaces a whole credential value by a marker. */
  private maskValue(value: string, other: string | undefined, side: Side): string {
    if (isMarker(value)) return value;
    this.sensitive.add(value);
    return marker(
      side,
      Buffer.byteLength(value, 'utf8'),
      other === undefined ? undefined : Buffer.byteLength(other, 'utf8'),
      other === value,
    );
  }

  /**
   * Masks secrets that can sit inside any string, one inline rule after the other (PEM blocks,
   * vals/SOPS references, URL passwords and tokens, Authorization headers, assignments, flags).
   * The n-th secret of a key is compared with the n-th of the same key in the other side's text.
   */
  inline(value: string, other: string | undefined, side: Side): string {
    let result = value;
    for (const rule of INLINE_RULES) {
      if (!rule.mayMatch(result)) continue;
      const counterparts = other === undefined ? undefined : secretsByKey(rule, other);
      const occurrences = new Map<string, number>();
      result = replaceMatches(result, rule.pattern, (match) => {
        const found = rule.secretOf(match);
        if (!found || found.keep === 'uncounted') return match[0];
        const occurrence = occurrences.get(found.key) ?? 0;
        occurrences.set(found.key, occurrence + 1);
        if (found.keep === 'counted') return match[0];
        const counterpart = counterparts === undefined ? undefined : (counterparts.get(found.key)?.[occurrence] ?? '');
        const masked = this.maskValue(found.secret, counterpart, side);
        for (const text of found.alsoSensitive ?? []) this.sensitive.add(text);
        return `${found.before}${masked}${found.after}`;
      });
    }
    return result;
  }
}

/** A secret an inline rule found in a match, with the text around it that stays. */
interface InlineSecret {
  before: string;
  secret: string;
  after: string;
  /** Secrets are paired with the other side's by key and position (the name of an assignment; '' for the rest). */
  key: string;
  /**
   * Left as it is: already a marker, or not a value (`$VAR`, prose). `counted` still takes its
   * position among the key's secrets; `uncounted` does not.
   */
  keep?: 'counted' | 'uncounted';
  /** More text to scrub from the whole report (the lines of a PEM block). */
  alsoSensitive?: string[];
}

interface InlineRule {
  /** A cheap test of the text so far: most strings skip the pattern scan. */
  mayMatch: (text: string) => boolean;
  /** Global: every match is a candidate. */
  pattern: RegExp;
  /** The secret in a match (on either side), or undefined when the match holds no credential. */
  secretOf: (match: RegExpExecArray) => InlineSecret | undefined;
}

/** Stricter names than for config keys: `key="..."` in a PromQL expression is a label matcher. */
const isInlineCredential = (name: string) => isCredentialField(name.replace(/^-+/, ''));

/** The inline rules in the order they apply; each sees the text the ones before it masked. */
const INLINE_RULES: readonly InlineRule[] = [
  {
    mayMatch: (text) => text.includes('-----BEGIN '),
    pattern: PEM_BLOCK,
    secretOf: (match) => {
      const label = group(match, 1);
      return {
        before: `-----BEGIN ${label}----- `,
        secret: match[0],
        after: ` -----END ${label}-----`,
        key: '',
        alsoSensitive: match[0]
          .split('\n')
          .slice(1, -1)
          .map((line) => line.trim()),
      };
    },
  },
  ...[VALS_REFERENCE, SOPS_VALUE].map((pattern) => ({
    mayMatch: (text: string) => text.includes('ref+') || text.includes('ENC['),
    pattern,
    secretOf: (match: RegExpExecArray) => ({ before: '', secret: match[0], after: '', key: '' }),
  })),
  ...[URL_PASSWORD, URL_TOKEN_USER].map((pattern) => ({
    mayMatch: (text: string) => text.includes('@') && text.includes('://'),
    pattern,
    secretOf: (match: RegExpExecArray): InlineSecret => {
      const secret = group(match, 2);
      return { before: group(match, 1), secret, after: group(match, 3), key: '', ...(isMarker(secret) ? { keep: 'uncounted' } : {}) };
    },
  })),
  {
    mayMatch: (text) => /bearer|basic/i.test(text),
    pattern: AUTHORIZATION_SCHEME,
    secretOf: (match) => ({ before: group(match, 1), secret: group(match, 2), after: '', key: '' }),
  },
  {
    mayMatch: (text) => (text.includes('=') || /(?:^|\s)-/.test(text)) && CREDENTIAL_FIELD_HINT.test(text),
    pattern: INLINE_ASSIGNMENT,
    secretOf: (match) => {
      const [lead, name, separator, quote, secret] = [1, 2, 3, 4, 5].map((index) => group(match, index)) as [
        string,
        string,
        string,
        string,
        string,
      ];
      if (!isInlineCredential(name)) return undefined;
      // `--token x` needs a dash: `the token is` in prose is not a flag.
      const notAValue = isMarker(secret) || secret.startsWith('$') || (separator !== '=' && !name.startsWith('-'));
      return { before: `${lead}${name}${separator}${quote}`, secret, after: '', key: name, ...(notAValue ? { keep: 'counted' } : {}) };
    },
  },
  {
    // A whole string that is a `--password=x` flag; the other side's value counts only under the same flag.
    mayMatch: (text) => text.startsWith('-'),
    pattern: new RegExp(CREDENTIAL_FLAG.source, 'g'),
    secretOf: (match) => {
      const [prefix, name, secret] = [1, 2, 3].map((index) => group(match, index)) as [string, string, string];
      if (!isCredentialName(name)) return undefined;
      return { before: prefix, secret, after: '', key: prefix, ...(isMarker(secret) ? { keep: 'counted' } : {}) };
    },
  },
];

/** The secrets a rule finds in the other side's text, per key in order (markers included: they hold a position there too). */
function secretsByKey(rule: InlineRule, text: string): Map<string, string[]> {
  const secrets = new Map<string, string[]>();
  for (const match of text.matchAll(rule.pattern)) {
    const found = rule.secretOf(match);
    if (found) secrets.set(found.key, [...(secrets.get(found.key) ?? []), found.secret]);
  }
  return secrets;
}

/** `text` with each match of the global `pattern` replaced by what `replace` makes of it. */
function replaceMatches(text: string, pattern: RegExp, replace: (match: RegExpExecArray) => string): string {
  let result = '';
  let end = 0;
  for (const match of text.matchAll(pattern)) {
    result += text.slice(end, match.index) + replace(match);
    end = match.index + match[0].length;
  }
  return result + text.slice(end);
}

/** A capture group of a match; every group of the patterns here takes part in each match, so '' only stands in for the type. */
function group(match: RegExpMatchArray, index: number): string {
  return match[index] ?? '';
}

function marker(side: Side, size: number, otherSize: number | undefined, equal: boolean): string {
  if (otherSize === undefined) return side === 'head' ? `<secret: added, ${size} bytes>` : `<secret: removed, ${size} bytes>`;
  if (equal) return `<secret: unchanged, ${size} bytes>`;
  return side === 'head' ? `<secret: changed, ${otherSize} -> ${size} bytes>` : `<secret: old value, ${size} bytes>`;
}

/** The item on the other side each item is compared with: same `name` for named items, else same index. */
function counterpartItems(own: readonly unknown[], other: readonly unknown[]): unknown[] {
  const named = (items: readonly unknown[]) => items.length > 0 && items.every((item) => isRecord(item) && typeof item.name === 'string');
  if (named(own) && named(other)) {
    const byName = new Map(other.map((item) => [(item as Record<string, unknown>).name as string, item]));
    return own.map((item) => byName.get((item as Record<string, unknown>).name as string));
  }
  return own.map((_, index) => other[index]);
}

/**
 * Words without which no name is a credential field (see isCredentialField): a cheap test that
 * spares the assignment scan of most strings (PromQL expressions, scripts, dashboards).
 */
const CREDENTIAL_FIELD_HINT = /passw|passp|token|apikey|privatekey|credential|dsn|secret|accesskey/i;
/** `key: value` lines of YAML, `"key": "value"` pairs of JSON, and `- --flag` / `"--flag",` list items. */
const YAML_KEY_LINE = /^[ \t]*(?:- )?["']?([A-Za-z0-9_.\-/]+)["']?[ \t]*:[ \t]*["']?([^"'\n]*)/gm;
const JSON_KEY_PAIR = /"([^"\\\n]{1,200})"\s*:\s*(?:"([^"\\\n]{0,200})")?/g;
const FLAG_ITEM = /(?:^[ \t]*- ["']?|")(--?[A-Za-z0-9_.-]+)(?:["']?[ \t]*$|",)/gm;

/**
 * Whether a document's structure may hold a credential the line-by-line rules would miss: a key
 * naming a credential, an `{name: DB_PASSWORD, value: x}` item, a Secret, a credential flag
 * followed by its value. Documents without any are not parsed (the line and inline rules still apply).
 */
function mayHoldStructuredCredential(text: string): boolean {
  if (text.length < EMBEDDED_DOCUMENT_MIN_LENGTH || !(text.includes('\n') || /^\s*[{[]/.test(text))) return false;
  const pair = (key: string, value: string | undefined) =>
    isCredentialName(key) ||
    (key === 'name' && value !== undefined && isCredentialName(value.trim())) ||
    (key === 'kind' && value?.trim() === 'Secret');
  for (const match of text.matchAll(YAML_KEY_LINE)) if (pair(group(match, 1), match[2])) return true;
  if (text.includes('"')) for (const match of text.matchAll(JSON_KEY_PAIR)) if (pair(group(match, 1), match[2])) return true;
  for (const match of text.matchAll(FLAG_ITEM)) if (isCredentialName(group(match, 1).replace(/^-+/, ''))) return true;
  return false;
}

/** A string that is a YAML mapping or a JSON object/array, parsed; undefined for any other text. */
function parseDocument(text: string): { value: unknown; json: boolean } | undefined {
  if (text.length < EMBEDDED_DOCUMENT_MIN_LENGTH) return undefined;
  const trimmed = text.trimStart();
  const json = trimmed.startsWith('{') || trimmed.startsWith('[');
  // YAML documents worth parsing span lines and set keys; a one-line string is a value.
  if (!json && !(text.includes('\n') && /^[ \t]*(?:- )?["']?[A-Za-z0-9_.\-/]+["']?:(?:[ \t]|$)/m.test(text))) return undefined;
  try {
    const value: unknown = json ? JSON.parse(text) : parseYaml(text, { uniqueKeys: false, logLevel: 'silent' });
    return typeof value === 'object' && value !== null ? { value, json } : undefined;
  } catch {
    return undefined;
  }
}

/** A marker this masking wrote, possibly quoted by the YAML writer: never masked twice. */
function isMarker(text: string): boolean {
  return /^["']?<secret:/.test(text);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
