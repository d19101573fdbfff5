import { RE2JS } from 're2js';

/**
 * Kubernetes evaluates a schema's `pattern` with Go's regexp package: RE2 syntax and semantics
 * (`\d` is ASCII only, `(?i)` anywhere, POSIX classes, `\z`, `{n}` up to 1000) and, above all,
 * matching in time linear in the input. JavaScript's RegExp backtracks: a CRD pattern like
 * `^(a+)+$` on a long `aaaa…!` value would take longer than the universe has left. RE2JS is a
 * port of Go's engine (DFA/NFA, never backtracking), so patterns here are checked exactly as the
 * API server checks them, in linear time.
 */
export type CheckedPattern = { ok: true } | { ok: false; reason: string };

/**
 * RE2's compilation of each pattern seen in this process, or its error: the conversion checks
 * every pattern and Ajv then compiles it, and CRDs repeat the same patterns many times.
 */
const compiledPatterns = new Map<string, RE2JS | Error>();

function compileOnce(pattern: string): RE2JS | Error {
  let compiled = compiledPatterns.get(pattern);
  if (!compiled) {
    try {
      compiled = RE2JS.compile(pattern);
    } catch (error) {
      compiled = error as Error;
    }
    compiledPatterns.set(pattern, compiled);
  }
  return compiled;
}

/** Whether RE2 (Go) accepts the pattern; the reason quotes RE2's own error when it does not. */
export function checkGoPattern(pattern: string): CheckedPattern {
  const compiled = compileOnce(pattern);
  if (compiled instanceof Error) return { ok: false, reason: `it is not a valid Go (RE2) regular expression (${compiled.message})` };
  return { ok: true };
}

/** What Ajv needs of a pattern: `test` (Go's `MatchString`: a match anywhere, as `pattern` means). */
export interface LinearPattern {
  test(value: string): boolean;
  toString(): string;
}

/** Compiles a Go pattern for matching in linear time. Throws on a pattern RE2 rejects. */
export function compileGoPattern(pattern: string): LinearPattern {
  const compiled = compileOnce(pattern);
  if (compiled instanceof Error) throw compiled;
  return {
    test: (value: string) => compiled.matcher(value).find(),
    // Ajv keys compiled patterns by `toString()`: each pattern needs its own.
    toString: () => `/${pattern}/re2`,
  };
}
