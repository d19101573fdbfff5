import type { EnvironmentManifests } from '../model/manifests.js';
import type { Finding } from '../validate/findings/finding.js';
import type { ImageDrillCoverage } from '../validate/validate.js';
import { imageCheckCoverage, imageProblems, imagesOfEnvironments, type ImageProblem } from './image-check.js';
import { architecturesOf, resolveImageUses, type ImageCheckOptions } from './image-check-stage.js';

/** A problem of the rebuild drill's images as a validation finding on the manifest file (pure). */
export function imageFinding({ use, rule, message }: ImageProblem): Finding {
  return {
    environment: use.environment,
    release: use.release,
    resource: use.resource,
    apiVersion: use.apiVersion,
    file: use.path,
    path: use.jsonPath,
    message,
    rule,
  };
}

/**
 * Every image of the environments resolved against its registry (the rebuild drill, `validate
 * --api-server`): a missing image or architecture is a finding, a registry that cannot be asked is
 * listed as not checked.
 */
export async function imageDrill(
  environments: readonly EnvironmentManifests[],
  options: ImageCheckOptions,
  log: (message: string) => void,
): Promise<{ findings: Finding[]; images: ImageDrillCoverage }> {
  const uses = imagesOfEnvironments(environments);
  const results = await resolveImageUses(uses, options, log);
  const coverage = imageCheckCoverage(uses, results, 'environments');
  log(coverage.summary);
  return {
    findings: imageProblems(uses, results, architecturesOf(options)).map(imageFinding),
    images: { summary: coverage.summary, notChecked: coverage.notExercised.map((item) => ({ registry: item.path, reason: item.reason })) },
  };
}
