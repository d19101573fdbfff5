import type { ResourceKey } from '../model/resource-key.js';
import type { Risk } from './types.js';

/**
 * A value the render generates anew on every run (randAlphaNum, genCA, uuidv4, now), as the
 * render-fidelity checks report it (`GeneratedField` of src/render/generated-values.ts on main:
 * same shape, so `environment.generated` can be passed as it is). `kept`: the committed value was
 * written back, nothing changes; `new`: no value was committed there yet, so this render's random
 * value is what Argo CD will apply.
 */
export interface GeneratedValueSignal {
  environment: string;
  release: string;
  resource: ResourceKey;
  /** Path segments inside the object. */
  path: readonly (string | number)[];
  outcome: 'kept' | 'new';
}

/**
 * A `new` generated value in a resource that already exists: the cluster holds another value
 * (from an earlier render or from the chart's own install), and the sync replaces it.
 */
export function generatedValueRisks(signals: readonly GeneratedValueSignal[], existing: (signal: GeneratedValueSignal) => boolean): Risk[] {
  return signals
    .filter((signal) => signal.outcome === 'new' && existing(signal))
    .map((signal) => ({
      rule: 'generated-values',
      severity: 'medium',
      environment: signal.environment,
      release: signal.release,
      resource: signal.resource,
      field: signal.path
        .map((segment, index) => (typeof segment === 'number' ? `[${segment}]` : index === 0 ? segment : `.${segment}`))
        .join(''),
      message:
        'the chart generates this value on every render and none was committed yet: the sync replaces what the cluster holds with a ' +
        'new random value (a rotated password or certificate breaks whoever holds the old one)',
      fix: 'set the value explicitly in the release values (from a secret store), or let cert-manager issue the certificate',
    }));
}
