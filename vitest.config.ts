import { defineConfig } from 'vitest/config';

const KUBERNETES_OPENAPI_SETUP = 'test/support/kubernetes-openapi-setup.ts';

/** Integration tests are named `*.int.test.ts` (test/support/test-projects.test.ts checks the names); every other test is a unit test. */
const INTEGRATION_TESTS = 'test/**/*.int.test.ts';

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
      {
        extends: true,
        // Pure tests (no helm, helmfile or git): `npx vitest run --project unit` runs them in seconds.
        test: { name: 'unit', include: ['test/**/*.test.ts'], exclude: [INTEGRATION_TESTS], globalSetup: [KUBERNETES_OPENAPI_SETUP] },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: [INTEGRATION_TESTS],
          // Installs the pinned tools and serves the fixture chart repository once per run.
          globalSetup: [KUBERNETES_OPENAPI_SETUP, 'test/support/global-setup.ts'],
        },
      },
    ],
  },
});
