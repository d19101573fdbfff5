import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

/**
 * What makes a test an integration test: it needs the global setup (`inject`: the pinned helm and
 * helmfile, the chart repository), runs programs itself, or uses test support that does (git
 * repositories, helm, the GitHub API server, the bundled action). Such a test is named
 * `*.int.test.ts` and runs in the `integration` project; every other test is a unit test: pure
 * code, fixtures and at most a local file server, done in seconds.
 */
const INTEGRATION_MARKERS: readonly { pattern: RegExp; need: string }[] = [
  { pattern: /\binject\(/, need: 'the global setup (inject)' },
  { pattern: /from '(execa|node:child_process)'/, need: 'runs programs (execa, child_process)' },
  { pattern: /src\/process\/run-program\.js'/, need: 'runs programs (run-program)' },
  { pattern: /src\/git\/git\.js'/, need: 'runs git (the git wrapper)' },
  {
    pattern: /support\/(toolchain|gitops-repo|chart-repository|helm-home|helm-fidelity|git-http-server|github-api-server)\.js'/,
    need: 'integration test support',
  },
  { pattern: /action-harness\.js'/, need: 'the bundled action (action-harness)' },
  { pattern: /scripts\/bundle\.mjs'/, need: 'the bundler' },
];

/** Test helpers a test file imports from the test tree (`./x.js`, `../support/y.js`). */
const RELATIVE_IMPORT = /from '(\.{1,2}\/[^']+)\.js'/g;

/** The name of an integration test file. */
export const INTEGRATION_TEST_SUFFIX = '.int.test.ts';

/** Why `file` needs the integration project (`needs`, via the test helper it imports), or undefined when it is pure. */
export function integrationNeed(file: string, testRoot: string, seen = new Set<string>()): string | undefined {
  if (seen.has(file)) return undefined;
  seen.add(file);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  const marker = INTEGRATION_MARKERS.find(({ pattern }) => pattern.test(text));
  if (marker) return marker.need;
  // Helpers inside test/ count as part of the test; src/ modules are what is under test.
  for (const match of text.matchAll(RELATIVE_IMPORT)) {
    const helper = resolve(dirname(file), `${match[1]}.ts`);
    if (relative(testRoot, helper).startsWith('..')) continue;
    const need = integrationNeed(helper, testRoot, seen);
    if (need) return `${need}, through ${relative(testRoot, helper)}`;
  }
  return undefined;
}

/** Every test file under `root/test` (fixtures aside), relative to `root`, sorted. */
export function testFiles(root: string, directory = join(root, 'test')): string[] {
  return readdirSync(directory, { withFileTypes: true })
    .flatMap((entry) => {
      const path = join(directory, entry.name);
      if (entry.isDirectory()) return entry.name === 'fixtures' ? [] : testFiles(root, path);
      return entry.name.endsWith('.test.ts') ? [relative(root, path)] : [];
    })
    .sort();
}
