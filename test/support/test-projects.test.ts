import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { unitTestFiles } from './test-projects.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

describe('the unit test project', () => {
  const unit = unitTestFiles(ROOT);

  it('holds pure tests, helpers they import included', () => {
    expect(unit).toContain('test/diff/diff-manifests.test.ts');
    expect(unit).toContain('test/risk/gate.test.ts');
    expect(unit).toContain('test/support/test-projects.test.ts');
  });

  it('leaves out tests that need the global setup, run programs, or import helpers that do', () => {
    expect(unit).not.toContain('test/render/render.test.ts'); // the global setup's pinned helm and helmfile
    expect(unit).not.toContain('test/diff/unified-diff.test.ts'); // runs git diff to compare
    expect(unit).not.toContain('test/action/action.e2e.test.ts'); // the action harness
    expect(unit).not.toContain('test/values/release-values.test.ts');
    expect(unit).not.toContain('test/tools/repository-pins-file.test.ts'); // git through the project's git wrapper
  });
});
