import { readManifestTree } from '../render/committed-manifests.js';
import type { EnvironmentManifests } from '../model/manifests.js';
import type { Finding } from './findings/finding.js';
import { FINDING_RULES } from './validate.js';
import { findDuplicateKeys } from './findings/yaml-location.js';

export interface ManifestsForValidation {
  environments: EnvironmentManifests[];
  /** Problems of the files themselves: duplicate keys, files that are not one Kubernetes object. */
  findings: Finding[];
}

/**
 * Reads a manifests tree (`<dir>/<environment>/<release>/*.yaml`) for validation without stopping
 * at the first bad file: a duplicate key becomes a finding (the resource is still validated with
 * the last value, as kubectl would apply it) and a file that is not a Kubernetes object becomes a
 * finding of its own.
 */
export async function readManifestsForValidation(outputDir: string, environments?: readonly string[]): Promise<ManifestsForValidation> {
  const findings: Finding[] = [];
  const result = await readManifestTree(outputDir, environments, {
    onProblem: ({ environment, release, path, content, problem, message, line, resource }) => {
      if (problem === 'duplicate-keys' && resource) {
        // Lines of every duplicate are computed only here (a line counter slows every parse).
        for (const duplicate of findDuplicateKeys(content)) {
          findings.push({
            environment,
            release,
            resource: resource.key,
            apiVersion: resource.apiVersion,
            file: path,
            line: duplicate.line,
            path: '',
            message:
              `duplicate key ${JSON.stringify(duplicate.key)}: a key may appear once per mapping (the last value would ` +
              `silently win); remove one`,
            rule: FINDING_RULES.duplicateKey,
          });
        }
        return;
      }
      findings.push({
        environment,
        release,
        resource: { group: '', kind: 'Unknown', name: path.slice(path.lastIndexOf('/') + 1) },
        apiVersion: '',
        file: path,
        ...(line ? { line } : {}),
        path: '',
        message,
        rule: FINDING_RULES.invalidValue,
      });
    },
  });
  return { environments: result, findings };
}
