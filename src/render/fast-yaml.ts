import jsYaml from 'js-yaml';
import { resolvePlainScalar } from './kubernetes-yaml.js';

/**
 * A fast reader for the values of rendered and committed documents: js-yaml reads a platform's
 * 10 MB of manifests about six times faster than the `yaml` package, whose concrete syntax tree
 * is only needed to edit text (kubernetes-yaml.ts). Plain scalars are resolved by the same
 * go-yaml v2 rules (`resolvePlainScalar`); quoted and block scalars stay strings.
 */
const KUBERNETES_PLAIN_SCALAR = new jsYaml.Type('tag:yaml.org,2002:kubernetes-plain-scalar', {
  kind: 'scalar',
  resolve: (data: string | null) => data !== null && resolvePlainScalar(data) !== data,
  construct: (data: string) => resolvePlainScalar(data),
});

/** js-yaml's own `<<` merge type (exported at run time, missing from its type declarations). */
const MERGE_TYPE = (jsYaml as unknown as { types: { merge: jsYaml.Type } }).types.merge;

const KUBERNETES_SCHEMA = jsYaml.FAILSAFE_SCHEMA.extend({ implicit: [MERGE_TYPE, KUBERNETES_PLAIN_SCALAR] });

/**
 * The value of one YAML document as Kubernetes reads it, or undefined when js-yaml will not read
 * it (duplicate keys, explicit tags, syntax errors): callers then use the `yaml` package, which
 * says precisely what is wrong.
 */
export function fastKubernetesValue(text: string): { value: unknown } | undefined {
  try {
    return { value: jsYaml.load(text, { schema: KUBERNETES_SCHEMA }) ?? null };
  } catch {
    return undefined;
  }
}
