/** Escapes text for HTML contexts (`<summary>`) and markdown table cells. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** A table cell: HTML-escaped, pipes escaped, on one line. */
export function cell(text: string): string {
  return escapeHtml(text).replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

/** Inline code that holds any text: the backtick run is longer than any run inside. */
export function code(text: string): string {
  const flat = text.replace(/\r?\n/g, ' ');
  const longest = Math.max(0, ...[...flat.matchAll(/`+/g)].map((m) => m[0].length));
  const ticks = '`'.repeat(longest + 1);
  const pad = flat.startsWith('`') || flat.endsWith('`') ? ' ' : '';
  return `${ticks}${pad}${flat}${pad}${ticks}`;
}

/** Inline code inside a table cell (pipes must still be escaped there). */
export function cellCode(text: string): string {
  return code(text).replace(/\|/g, '\\|');
}

/**
 * A fenced code block whose fence is longer than any backtick run in the content, so content
 * lines such as " ```" (a context line of a diff of a README in a ConfigMap) cannot close it.
 */
export function fencedBlock(content: string, info: string): string {
  const longest = Math.max(0, ...[...content.matchAll(/`{3,}/g)].map((m) => m[0].length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}${info}\n${content.endsWith('\n') ? content : `${content}\n`}${fence}`;
}
