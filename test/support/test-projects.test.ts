import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { INTEGRATION_TEST_SUFFIX, integrationNeed, testFiles } from './test-projects.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const TEST_ROOT = join(ROOT, 'test');

describe('test file names', () => {
  const files = testFiles(ROOT);
  const needs = (file: string) => integrationNeed(join(ROOT, file), TEST_ROOT);

  it('finds the tests of both projects', () => {
    expect(files).toContain('test/diff/diff-manifests.test.ts');
    expect(files).toContain('test/render/render.int.test.ts');
  });

  it('names no test *.test.ts that needs the global setup, runs programs, or imports helpers that do', () => {
    const misnamed = files
      .filter((file) => !file.endsWith(INTEGRATION_TEST_SUFFIX))
      .flatMap((file) => {
        const need = needs(file);
        return need ? [`${file}: ${need}; name it *${INTEGRATION_TEST_SUFFIX}`] : [];
      });
    expect(misnamed).toEqual([]);
  });

  it('names a test *.int.test.ts only when it needs the integration project', () => {
    const pure = files.filter((file) => file.endsWith(INTEGRATION_TEST_SUFFIX) && !needs(file));
    expect(pure).toEqual([]);
  });

  it('tells why a test needs the integration project, through the helpers it imports', () => {
    expect(needs('test/render/render.int.test.ts')).toBe('the global setup (inject)');
    expect(needs('test/diff/unified-diff.int.test.ts')).toBe('runs programs (execa, child_process)');
    expect(needs('test/risk/platform-charts.int.test.ts')).toBe('the global setup (inject), through risk/chart-render.ts');
    expect(needs('test/risk/gate.test.ts')).toBeUndefined();
    expect(needs('test/support/test-projects.test.ts')).toBeUndefined();
  });
});
