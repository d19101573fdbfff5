import type { RenderFailure } from '../render/errors.js';

/** Longest render error shown in full; helm's own messages rarely need more to find the cause. */
const MAX_FAILURE_CHARACTERS = 4_000;

/** The report's section on render failures: each with its side and message, which says what to do when the render knows (pure). */
export function renderFailuresSection(failures: readonly RenderFailure[]): string {
  if (failures.length === 0) return '';
  const lines: string[] = [`### :x: Render failed`, ''];
  for (const failure of failures) {
    const text =
      failure.message.length > MAX_FAILURE_CHARACTERS
        ? `${failure.message.slice(0, MAX_FAILURE_CHARACTERS)}\n… (truncated; the job log has the full message)`
        : failure.message;
    lines.push(
      `**${failure.context.side ?? 'render'}**: ${escapeInline(firstLine(text))}`,
      '',
      '```text',
      text.replace(/```/g, "'''"),
      '```',
      '',
    );
  }
  return lines.join('\n');
}

function firstLine(text: string): string {
  return (
    text
      .split('\n')
      .find((line) => line.trim() !== '')
      ?.trim() ?? ''
  );
}

/** Keeps release and resource names from turning into markdown (`_`, `*`, `<`). */
export function escapeInline(text: string): string {
  return text.replace(/[<>*_`|\\]/g, (character) => `\\${character}`);
}
