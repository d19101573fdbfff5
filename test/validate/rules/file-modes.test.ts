import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateEnvironments } from '../../../src/validate/validate.js';
import { environment, schemaFixture } from '../fixtures.js';
import { fileModeMessage, findFileModeViolations } from '../../../src/validate/rules/file-modes.js';
import { kubernetesValue, parseKubernetesDocument } from '../../../src/render/kubernetes-yaml.js';

const podSpec = (modes: string) => `apiVersion: apps/v1
kind: StatefulSet
spec:
  template:
    spec:
      volumes:
        - name: scripts
          configMap:
            name: scripts
${modes}
        - name: token
          projected:
            sources:
              - secret:
                  name: t
                  items:
                    - key: a
                      path: a
                      mode: 0644
`;

describe('file modes of projected volume files', () => {
  it('accepts octal modes as Kubernetes reads them (0755 is 493)', () => {
    const object = kubernetesValue(parseKubernetesDocument(podSpec('            defaultMode: 0755')));
    expect(findFileModeViolations(object)).toEqual([]);
  });

  it('flags a decimal 755 (meant as 0755), as the API server rejects it, with the fix', () => {
    const object = kubernetesValue(parseKubernetesDocument(podSpec('            defaultMode: 755')));
    const violations = findFileModeViolations(object);
    expect(violations).toEqual([{ segments: ['spec', 'template', 'spec', 'volumes', 0, 'configMap', 'defaultMode'], value: 755 }]);
    expect(fileModeMessage(violations[0]!)).toBe(
      'defaultMode 755 is not a file mode: the API server accepts 0 to 0777 (decimal 511); if 755 was meant as octal, write 0755',
    );
  });

  it('checks item modes and leaves fields named mode elsewhere alone', () => {
    const object = kubernetesValue(
      parseKubernetesDocument(
        podSpec('            items:\n              - {key: k, path: p, mode: 1000}').replace('mode: 0644', 'mode: 0644\n      mode: 9999'),
      ),
    );
    expect(findFileModeViolations(object).map((violation) => violation.segments.join('.'))).toEqual([
      'spec.template.spec.volumes.0.configMap.items.0.mode',
    ]);
  });
});

describe('validation of a rendered workload', () => {
  let fixture: Awaited<ReturnType<typeof schemaFixture>>;
  beforeAll(async () => {
    fixture = await schemaFixture();
  });
  afterAll(() => fixture?.remove());

  it('reports defaultMode 755 as a finding with file, line and path, and accepts 0755', async () => {
    const statefulSet = (mode: string) =>
      `apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: redis\nspec:\n  serviceName: redis\n  selector:\n    matchLabels: {app: redis}\n  template:\n    metadata:\n      labels: {app: redis}\n    spec:\n      containers:\n        - name: redis\n          image: redis:8\n      volumes:\n        - name: scripts\n          configMap:\n            name: scripts\n            defaultMode: ${mode}\n`;
    const bad = await validateEnvironments([environment('production', { redis: statefulSet('755') })], { schemas: fixture.source() });
    expect(bad.findings.map(({ line, path, rule }) => ({ line, path, rule }))).toEqual([
      { line: 21, path: '.spec.template.spec.volumes[0].configMap.defaultMode', rule: 'file-mode' },
    ]);
    const good = await validateEnvironments([environment('production', { redis: statefulSet('0755') })], { schemas: fixture.source() });
    expect(good.findings).toEqual([]);
  });
});
