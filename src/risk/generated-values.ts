import type { ResourceKey } from '../render/resource-key.js';
import type { Risk } from './types.js';

/**
 * A value the render generated rather than took from git (a random password, a certificate, a
 * `lookup` that finds nothing offline): committed as rendered, it differs from what runs in the
 * cluster. The render-fidelity work reports these; this turns each into a risk.
 */
export interface GeneratedValueSignal {
  environment: string;
  release: string;
  resource: ResourceKey;
  /** Where the generated value sits, `data.password`. */
  field: string;
  /** How it was generated, `randAlphaNum in templates/secret.yaml`. */
  source: string;
}

export function generatedValueRisks(signals: readonly GeneratedValueSignal[]): Risk[] {
  return signals.map((signal) => ({
    rule: 'generated-values',
    severity: 'medium',
    environment: signal.environment,
    release: signal.release,
    resource: signal.resource,
    field: signal.field,
    message: `the value is generated on every render (${signal.source}); Argo CD replaces the one in the cluster on each sync`,
    remedy: 'set the value explicitly (from a secret store), or tell Argo CD to ignore the field (ignoreDifferences)',
  }));
}
