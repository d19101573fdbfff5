import { prepareKubernetesOpenApi } from './kubernetes-openapi-documents.js';

/**
 * Runs once per test run, before any worker starts: without ../shared/kubernetes-openapi the
 * pinned upstream documents are downloaded here, once, rather than by two workers at the same time
 * (and a failure is reported once, not by every file that serves them).
 */
export default async function setup(): Promise<void> {
  await prepareKubernetesOpenApi({ log: (message) => process.stderr.write(`[kubernetes-openapi] ${message}\n`) });
}
