/**
 * Kubernetes evaluates `pattern` with Go's RE2 syntax; JavaScript's syntax differs. This turns
 * the common RE2-only forms into JavaScript (Unicode mode) and says when it cannot, so a pattern
 * is either checked exactly or reported as not checked, never crashes validation.
 */
export type TranslatedPattern = { ok: true; source: string } | { ok: false; reason: string };

/** Leading RE2 flag groups JavaScript expresses as RegExp flags (see `compileTranslatedPattern`). */
const LEADING_FLAGS = /^\(\?([ims]+)\)/;
const SYNTAX_CHARACTERS = new Set([...'^$\\.*+?()[]{}|/']);
const POSIX_CLASSES: Record<string, string> = {
  alpha: 'A-Za-z',
  digit: '0-9',
  alnum: '0-9A-Za-z',
  upper: 'A-Z',
  lower: 'a-z',
  space: '\\t\\n\\v\\f\\r ',
  xdigit: '0-9A-Fa-f',
  word: '0-9A-Za-z_',
  blank: '\\t ',
};

export function translateGoPattern(pattern: string): TranslatedPattern {
  let flags = '';
  let rest = pattern;
  const leading = LEADING_FLAGS.exec(rest);
  if (leading) {
    flags = leading[1]!;
    rest = rest.slice(leading[0].length);
  }
  let out = '';
  let inClass = false;
  for (let i = 0; i < rest.length; i++) {
    const c = rest[i]!;
    if (c === '\\') {
      const next = rest[i + 1];
      if (next === undefined) return { ok: false, reason: 'it ends with a lone backslash' };
      if (next === 'Q') {
        const end = rest.indexOf('\\E', i + 2);
        const literal = rest.slice(i + 2, end === -1 ? undefined : end);
        out += [...literal].map(hexEscape).join('');
        i = end === -1 ? rest.length : end + 1;
        continue;
      }
      if (next === 'z') {
        out += '$';
        i++;
        continue;
      }
      if (next === 'A') {
        out += '^';
        i++;
        continue;
      }
      if ((next === 'p' || next === 'P') && rest[i + 2] !== '{') {
        out += `\\${next}{${rest[i + 2] ?? ''}}`;
        i += 2;
        continue;
      }
      if ((next === 'p' || next === 'P') && rest[i + 2] === '{') {
        const close = rest.indexOf('}', i + 3);
        if (close === -1) return { ok: false, reason: 'it has an unterminated \\p{...}' };
        const name = rest.slice(i + 3, close);
        out += `\\${next}{${name.length <= 2 ? name : `Script=${name}`}}`;
        i = close;
        continue;
      }
      if (/[A-Za-z0-9]/.test(next)) {
        out += c + next;
      } else if (SYNTAX_CHARACTERS.has(next) || (inClass && next === '-')) {
        out += c + next;
      } else {
        // RE2 allows escaping any punctuation; Unicode-mode JavaScript only syntax characters.
        out += hexEscape(next);
      }
      i++;
      continue;
    }
    if (inClass) {
      if (c === '[' && rest[i + 1] === ':') {
        const close = rest.indexOf(':]', i + 2);
        const name = close === -1 ? '' : rest.slice(i + 2, close);
        const replacement = POSIX_CLASSES[name.startsWith('^') ? '' : name];
        if (!replacement) return { ok: false, reason: `it uses the POSIX class [:${name}:]` };
        out += replacement;
        i = close + 1;
        continue;
      }
      if (c === ']') inClass = false;
      out += c;
      continue;
    }
    if (c === '[') {
      inClass = true;
      out += c;
      if (rest[i + 1] === '^') {
        out += '^';
        i++;
      }
      if (rest[i + 1] === ']') {
        // A `]` right after `[` or `[^` is a literal in RE2.
        out += '\\]';
        i++;
      }
      continue;
    }
    if (c === '(' && rest.startsWith('(?P<', i)) {
      out += '(?<';
      i += 3;
      continue;
    }
    if (c === '(' && rest[i + 1] === '?' && rest[i + 2] !== ':' && rest[i + 2] !== '<' && rest[i + 2] !== '=' && rest[i + 2] !== '!') {
      return { ok: false, reason: 'it sets regular-expression flags inside the pattern, which JavaScript does not support' };
    }
    out += c;
  }
  const source = flags ? `(?${flags})${out}` : out;
  try {
    compileTranslatedPattern(source);
  } catch (error) {
    return { ok: false, reason: `JavaScript cannot evaluate it (${(error as Error).message})` };
  }
  return { ok: true, source };
}

/** Compiles a translated pattern: a leading `(?ims)` group becomes RegExp flags. Used as Ajv's RegExp engine. */
export function compileTranslatedPattern(source: string, flags = 'u'): RegExp {
  const leading = LEADING_FLAGS.exec(source);
  if (!leading) return new RegExp(source, flags);
  return new RegExp(source.slice(leading[0].length), flags + leading[1]!);
}

function hexEscape(character: string): string {
  const code = character.codePointAt(0)!;
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u{${code.toString(16)}}`;
}
