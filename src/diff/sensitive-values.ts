/**
 * The secret values seen while masking, kept so that any text leaving the tool (a finding's
 * message quoting a bad value, an error) can be scrubbed of them as a last line of defence.
 * Never serialized: `toJSON` hides the values.
 */
export class SensitiveValues {
  /** Shorter values (`true`, `80`, `admin`) would scrub ordinary words out of every report. */
  static readonly MIN_LENGTH = 6;
  private readonly values = new Set<string>();
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
  }

  get size(): number {
    return this.values.size;
  }

  /** Replaces every occurrence of a recorded value by `<redacted>`. */
  redact(text: string): string {
    if (this.values.size === 0) return text;
    this.pattern ??= new RegExp(
      [...this.values]
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
