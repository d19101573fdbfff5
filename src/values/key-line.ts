/**
 * The 1-based line that sets `path` in a values file, or of the deepest part of it found. Works on
 * the source as written, `.gotmpl` included: template actions are not YAML, so the file is read by
 * indentation (`key:` lines under their parents) rather than parsed. Keys in lists are not looked
 * into (checks never report paths through lists).
 */
export function keyLine(text: string, path: readonly string[]): number | undefined {
  const stack: Array<{ indent: number; key: string }> = [];
  let deepest: { depth: number; line: number } | undefined;
  const lines = text.split('\n');
  for (let index = 0; index < lines.length; index++) {
    const match = /^( *)(?:(["'])(.+?)\2|([^\s#'"{}[\],&*!|>%@`-][^:#{}]*?|-[^\s:#{}][^:#{}]*?))\s*:(?:\s|$)/.exec(lines[index]!);
    if (!match) continue;
    const indent = match[1]!.length;
    const key = (match[3] ?? match[4]!).trim();
    while (stack.length > 0 && stack[stack.length - 1]!.indent >= indent) stack.pop();
    stack.push({ indent, key });
    const depth = matchingDepth(stack, path);
    if (depth === stack.length && (!deepest || depth > deepest.depth)) {
      deepest = { depth, line: index + 1 };
      if (depth === path.length) return index + 1;
    }
  }
  return deepest?.line;
}

function matchingDepth(stack: ReadonlyArray<{ key: string }>, path: readonly string[]): number {
  let depth = 0;
  while (depth < stack.length && depth < path.length && stack[depth]!.key === path[depth]) depth++;
  return depth;
}
