import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

/**
 * What makes a test file an integration test: it needs the global setup (`inject`: the pinned
 * helm and helmfile, the chart repository), runs programs itself, or uses test support that does
 * (git repositories, helm, the GitHub API server, the bundled action). Every other test is a unit
 * test: pure code, fixtures and at most a local file server, done in seconds.
 */
const INTEGRATION_MARKERS = [
  /\binject\(/,
  /from '(execa|node:child_process)'/,
  /src\/process\/run-program\.js'/,
  // The git wrapper: a test that makes a GitRepository runs git.
  /src\/git\/git\.js'/,
  /support\/(toolchain|gitops-repo|chart-repository|helm-home|helm-fidelity|git-http-server|github-api-server)\.js'/,
  /action-harness\.js'/,
  /scripts\/bundle\.mjs'/,
];

/** Test helpers a test file imports from the test tree (`./x.js`, `../support/y.js`). */
const RELATIVE_IMPORT = /from '(\.{1,2}\/[^']+)\.js'/g;

function needsIntegration(file: string, testRoot: string, seen: Set<string>): boolean {
  if (seen.has(file)) return false;
  seen.add(file);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return false;
  }
  if (INTEGRATION_MARKERS.some((marker) => marker.test(text))) return true;
  // Helpers inside test/ count as part of the test; src/ modules are what is under test.
  return [...text.matchAll(RELATIVE_IMPORT)]
    .map((match) => resolve(dirname(file), `${match[1]}.ts`))
    .filter((helper) => !relative(testRoot, helper).startsWith('..'))
    .some((helper) => needsIntegration(helper, testRoot, seen));
}

function testFiles(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) return entry.name === 'fixtures' ? [] : testFiles(path);
    return entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

/** The unit test files under `root/test`, relative to `root`, sorted: the `unit` project's include list. */
export function unitTestFiles(root: string): string[] {
  const testRoot = join(root, 'test');
  return testFiles(testRoot)
    .filter((file) => !needsIntegration(file, testRoot, new Set()))
    .map((file) => relative(root, file))
    .sort();
}
