import { diffArrays } from 'diff';

export interface TextPatch {
  /** Hunks in unified format, each line ending with a newline; '' when the texts are equal. */
  text: string;
  linesAdded: number;
  linesRemoved: number;
}

/**
 * Upper bound of the work the line diff may do (roughly lines x edit distance). Beyond it the
 * changed region is shown as removed then added: still correct, only less minimal. A bound on
 * work rather than on time keeps output deterministic on any machine.
 */
const MAX_DIFF_WORK = 20_000_000;

/**
 * A unified diff of two texts (both newline-terminated). The common head and tail are cut off
 * before the `diff` library sees the texts, so a one-line change in a multi-megabyte CRD costs
 * a string comparison, not a line diff of the whole file.
 */
export function unifiedDiff(oldText: string, newText: string, contextLines: number): TextPatch {
  if (oldText === newText) return { text: '', linesAdded: 0, linesRemoved: 0 };
  const oldLines = splitLines(oldText);
  const newLines = splitLines(newText);
  let prefix = 0;
  const shorter = Math.min(oldLines.length, newLines.length);
  while (prefix < shorter && oldLines[prefix] === newLines[prefix]) prefix++;
  let suffix = 0;
  while (suffix < shorter - prefix && oldLines[oldLines.length - 1 - suffix] === newLines[newLines.length - 1 - suffix]) suffix++;

  const context = Math.max(0, contextLines);
  const start = Math.max(0, prefix - context);
  const tail = Math.min(suffix, context);
  const oldSlice = oldLines.slice(start, oldLines.length - suffix + tail);
  const newSlice = newLines.slice(start, newLines.length - suffix + tail);
  const oldChanged = oldLines.length - suffix - prefix;
  const newChanged = newLines.length - suffix - prefix;

  if (oldChanged === 0 || newChanged === 0) {
    return formatHunks([replacementHunk(oldSlice, newSlice, start, prefix - start, tail)]);
  }
  const size = oldSlice.length + newSlice.length;
  const maxEditLength = Math.max(64, Math.floor(MAX_DIFF_WORK / size));
  // Line arrays go to the library as they are: no re-joining and re-tokenizing megabytes of text.
  const changes = diffArrays(oldSlice, newSlice, { maxEditLength });
  if (!changes) return formatHunks([replacementHunk(oldSlice, newSlice, start, prefix - start, tail)]);
  const operations: Operation[] = [];
  for (const change of changes) {
    const type = change.added ? '+' : change.removed ? '-' : ' ';
    for (const line of change.value) operations.push({ type, line });
  }
  return formatHunks(groupHunks(operations, start, context));
}

interface Operation {
  type: ' ' | '-' | '+';
  line: string;
}

/** Groups edit operations into hunks: changes closer than twice the context share a hunk. */
function groupHunks(operations: readonly Operation[], start: number, context: number): Hunk[] {
  const hunks: Hunk[] = [];
  // Line counts on each side before every operation.
  let oldBefore = start;
  let newBefore = start;
  const positions = operations.map((operation) => {
    const position = { old: oldBefore, new: newBefore };
    if (operation.type !== '+') oldBefore++;
    if (operation.type !== '-') newBefore++;
    return position;
  });
  let index = 0;
  while (index < operations.length) {
    while (index < operations.length && operations[index]!.type === ' ') index++;
    if (index >= operations.length) break;
    const from = Math.max(0, index - context);
    let last = index;
    let cursor = index;
    while (cursor < operations.length) {
      if (operations[cursor]!.type !== ' ') {
        last = cursor;
        cursor++;
        continue;
      }
      let run = cursor;
      while (run < operations.length && operations[run]!.type === ' ') run++;
      if (run >= operations.length || run - cursor > 2 * context) break;
      cursor = run;
    }
    const to = Math.min(operations.length, last + 1 + context);
    const slice = operations.slice(from, to);
    const oldLines = slice.filter((o) => o.type !== '+').length;
    const newLines = slice.filter((o) => o.type !== '-').length;
    hunks.push({
      // Unified format numbers an empty side by the line before it.
      oldStart: oldLines === 0 ? positions[from]!.old : positions[from]!.old + 1,
      oldLines,
      newStart: newLines === 0 ? positions[from]!.new : positions[from]!.new + 1,
      newLines,
      lines: slice.map((o) => `${o.type}${o.line}`),
    });
    index = to;
  }
  return hunks;
}

interface Hunk {
  oldStart: number;
  oldLines: number;
  newStart: number;
  newLines: number;
  lines: string[];
}

/** One hunk: leading context, every old line removed, every new line added, trailing context. */
function replacementHunk(oldSlice: string[], newSlice: string[], start: number, leading: number, trailing: number): Hunk {
  const lines = [
    ...oldSlice.slice(0, leading).map((line) => ` ${line}`),
    ...oldSlice.slice(leading, oldSlice.length - trailing).map((line) => `-${line}`),
    ...newSlice.slice(leading, newSlice.length - trailing).map((line) => `+${line}`),
    ...oldSlice.slice(oldSlice.length - trailing).map((line) => ` ${line}`),
  ];
  // Unified format numbers an empty side by the line before it (0 for an empty file).
  return {
    oldStart: oldSlice.length === 0 ? start : start + 1,
    oldLines: oldSlice.length,
    newStart: newSlice.length === 0 ? start : start + 1,
    newLines: newSlice.length,
    lines,
  };
}

function formatHunks(hunks: readonly Hunk[]): TextPatch {
  let text = '';
  let linesAdded = 0;
  let linesRemoved = 0;
  for (const hunk of hunks) {
    text += `@@ -${range(hunk.oldStart, hunk.oldLines)} +${range(hunk.newStart, hunk.newLines)} @@\n`;
    for (const line of hunk.lines) {
      if (line.startsWith('+')) linesAdded++;
      else if (line.startsWith('-')) linesRemoved++;
      text += `${line}\n`;
    }
  }
  return { text, linesAdded, linesRemoved };
}

function range(start: number, count: number): string {
  return count === 1 ? String(start) : `${start},${count}`;
}

function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}
