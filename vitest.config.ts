import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { unitTestFiles } from './test/support/test-projects.js';

/** Pure tests (no helm, helmfile or git): `npx vitest run --project unit` runs them in seconds. */
const UNIT_TESTS = unitTestFiles(fileURLToPath(new URL('.', import.meta.url)));

const KUBERNETES_OPENAPI_SETUP = 'test/support/kubernetes-openapi-setup.ts';

export default defineConfig({
  test: {
    // Tests run the real helm, helmfile and git; two workers keep a 2-core machine responsive.
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // `vitest run` (npm test) runs both projects; `--project unit` or `--project integration` one.
    projects: [
      // Both projects serve the Kubernetes OpenAPI documents, which the first run of a clone without ../shared downloads.
      { extends: true, test: { name: 'unit', include: UNIT_TESTS, globalSetup: [KUBERNETES_OPENAPI_SETUP] } },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/**/*.test.ts'],
          exclude: UNIT_TESTS,
          // Installs the pinned tools and serves the fixture chart repository once per run.
          globalSetup: [KUBERNETES_OPENAPI_SETUP, 'test/support/global-setup.ts'],
        },
      },
    ],
  },
});
