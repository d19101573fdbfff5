import * as core from '@actions/core';
import { compareFindings, createSchemaSource, findingAnnotation, summaryLine, validateEnvironments } from '../validate/index.js';
import type { Reached, ValidationResult } from './run-context.js';
import { withPersistedSchemaCache } from './schema-cache.js';

/**
 * The validate phase: both renders against the Kubernetes schemas and the CRDs in the render; only
 * what the pull request introduces counts (and is annotated), errors already on the base never block.
 */
export async function validateRenders(run: Reached<'renders'>): Promise<ValidationResult> {
  const { settings } = run;
  const { base, head } = run.renders;
  if (head.environments.length === 0) {
    core.info('validation skipped: nothing rendered on head');
    return { introducedErrors: 0 };
  }
  const schemas = createSchemaSource({
    kubernetesVersion: settings.kubernetesVersion || undefined,
    kubernetesSchemas: settings.kubernetesSchemas || undefined,
  });
  const options = { schemas, skipKinds: settings.skipKinds };
  const [headReport, baseReport] = await withPersistedSchemaCache(
    schemas,
    async () =>
      [
        await validateEnvironments(head.environments, options),
        base.environments.length > 0 ? await validateEnvironments(base.environments, options) : undefined,
      ] as const,
  );
  core.info(`head: ${summaryLine(headReport)}`);
  const findings = compareFindings(baseReport?.findings ?? [], headReport.findings);
  for (const finding of findings.introduced) {
    const annotation = findingAnnotation(finding, settings.outputDir);
    core.error(annotation.message, annotation.properties);
  }
  core.info(`${findings.introduced.length} introduced, ${findings.preexisting.length} already on the base`);
  return { introducedErrors: findings.introduced.length, findings };
}
