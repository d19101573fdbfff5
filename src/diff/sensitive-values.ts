/**
 * The secret values seen while masking, kept so that any text leaving the tool (a finding's
 * message quoting a bad value, an error) can be scrubbed of them as a last line of defence.
 * Never serialized: `toJSON` hides the values.
 */
export class SensitiveValues {
  /** Shorter values (`true`, `80`, `admin`) would scrub ordinary words out of every report. */
  static readonly MIN_LENGTH = 6;
  private readonly values = new Set<string>();
  /** Names the report must always show (kinds, namespaces, resource names, keys), `\n`-joined. */
  private publicText = '';
  private pattern: RegExp | undefined;

  /** Records a value together with its base64 form and, when it is valid base64, its decoded form. */
  add(value: string): void {
    this.addOne(value);
    this.addOne(Buffer.from(value, 'utf8').toString('base64'));
    const decoded = decodeBase64(value);
    if (decoded !== undefined) this.addOne(decoded);
  }

  addAll(other: SensitiveValues): void {
    for (const value of other.values) this.addOne(value);
    if (other.publicText) this.addPublicNames(other.publicText.split('\n'));
  }

  /**
   * Records names that are never scrubbed: the kind, namespace and name of every resource,
   * release and environment names, mapping keys. A recorded value that equals one of them or is
   * part of one (a `--secret-name=` value, a Secret whose value is its own name) is public
   * already: every report and every committed file path shows it. Scrubbing it would turn
   * resource names into `<redacted>` and hide which resource changed.
   */
  addPublicNames(names: Iterable<string>): void {
    const added = [...names].filter((name) => name.length >= SensitiveValues.MIN_LENGTH && !name.includes('\n'));
    if (added.length === 0) return;
    this.publicText += `${added.join('\n')}\n`;
    this.pattern = undefined;
  }

  get size(): number {
    return this.values.size;
  }

  /** Replaces every occurrence of a recorded value by `<redacted>`. */
  redact(text: string): string {
    if (this.values.size === 0) return text;
    if (!this.pattern) {
      const secret = [...this.values].filter((value) => !this.publicText.includes(value));
      // A pattern that never matches: every recorded value is part of a public name.
      if (secret.length === 0) this.pattern = /(?!)/g;
    }
    this.pattern ??= new RegExp(
      [...this.values]
        .filter((value) => !this.publicText.includes(value))
        .sort((a, b) => b.length - a.length)
        .map((value) => value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
        .join('|'),
      'g',
    );
    return text.replace(this.pattern, '<redacted>');
  }

  toJSON(): string {
    return `<${this.values.size} sensitive values>`;
  }

  private addOne(value: string): void {
    if (value.length < SensitiveValues.MIN_LENGTH) return;
    this.values.add(value);
    this.pattern = undefined;
  }
}

/** The decoded text of a base64 string, or undefined when it is not base64 of UTF-8 text. */
export function decodeBase64(value: string): string | undefined {
  const compact = value.replace(/\s+/g, '');
  if (compact.length === 0 || compact.length % 4 !== 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(compact)) return undefined;
  const decoded = Buffer.from(compact, 'base64').toString('utf8');
  return decoded.includes('\ufffd') ? undefined : decoded;
}

/** The size in bytes of a Secret `data` value (base64) once decoded. */
export function decodedByteLength(value: string): number {
  const compact = value.replace(/\s+/g, '');
  if (/^[A-Za-z0-9+/]*={0,2}$/.test(compact)) return Buffer.from(compact, 'base64').length;
  return Buffer.byteLength(value, 'utf8');
}
