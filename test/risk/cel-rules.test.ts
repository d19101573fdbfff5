import { describe, expect, it } from 'vitest';
import { changed, named, risksOf, widgetDefinition } from './risk-builder.js';

/** A CRD whose schema carries x-kubernetes-validations at the spec level and on a list item. */
function crd(rules: Array<Record<string, unknown>>, itemRules: Array<Record<string, unknown>> = []) {
  return widgetDefinition([
    {
      name: 'v1',
      served: true,
      storage: true,
      schema: {
        openAPIV3Schema: {
          type: 'object',
          properties: {
            spec: {
              type: 'object',
              'x-kubernetes-validations': rules,
              properties: {
                minReplicas: { type: 'integer' },
                maxReplicas: { type: 'integer' },
                mode: { type: 'string' },
                ratio: { type: 'number' },
                ports: {
                  type: 'array',
                  'x-kubernetes-list-type': 'map',
                  'x-kubernetes-list-map-keys': ['name'],
                  items: {
                    type: 'object',
                    'x-kubernetes-validations': itemRules,
                    properties: { name: { type: 'string' }, port: { type: 'integer' } },
                  },
                },
              },
            },
          },
        },
      },
    },
  ]);
}
const widget = (spec: Record<string, unknown>) => ({
  apiVersion: 'example.com/v1',
  kind: 'Widget',
  metadata: { name: 'w', namespace: 'apps' },
  spec,
});

describe('CEL rules of CRDs in the render', () => {
  const definition = crd([
    { rule: 'self.minReplicas <= self.maxReplicas', message: 'minReplicas must not exceed maxReplicas' },
    { rule: 'self.ratio < 1.0' },
  ]);

  it("cel-validation: a custom resource the change makes violate a rule, with the rule's message", () => {
    const base = widget({ minReplicas: 1, maxReplicas: 3, ratio: 0.5 });
    const head = changed(base, (o) => (o.spec.minReplicas = 5));
    const risks = named(risksOf([definition, base], [definition, head]), 'cel-validation');
    expect(risks).toMatchObject([
      {
        severity: 'high',
        resource: { kind: 'Widget', name: 'w' },
        field: 'spec',
        message: expect.stringMatching(
          /^minReplicas must not exceed maxReplicas \(x-kubernetes-validations of widgets\.example\.com: `self\.minReplicas <= self\.maxReplicas`\)/,
        ),
      },
    ]);
    expect(named(risksOf([definition, base], [definition, changed(base, (o) => (o.spec.ratio = 1.5))]), 'cel-validation')).toMatchObject([
      { message: expect.stringContaining('failed rule: self.ratio < 1.0') },
    ]);
    expect(named(risksOf([definition, base], [definition, changed(base, (o) => (o.spec.maxReplicas = 4))]), 'cel-validation')).toEqual([]);
  });

  it('cel-validation: a new CRD rule the existing resource does not meet', () => {
    const loose = crd([]);
    const resource = widget({ minReplicas: 5, maxReplicas: 3, ratio: 0.1 });
    expect(named(risksOf([loose, resource], [definition, resource]), 'cel-validation')).toHaveLength(1);
    // Already violated on the base with the same rule: not this change's doing.
    const renamed = changed(resource, (o) => (o.spec.ratio = 0.2));
    expect(named(risksOf([definition, resource], [definition, renamed]), 'cel-validation')).toEqual([]);
  });

  it('cel-validation: a transition rule (oldSelf) checked against the base object, and per map-list item', () => {
    const immutableMode = crd(
      [{ rule: 'self.mode == oldSelf.mode', message: 'mode is immutable' }],
      [{ rule: 'self.port == oldSelf.port', messageExpression: '"port of " + self.name + " is immutable"' }],
    );
    const base = widget({ mode: 'fast', ports: [{ name: 'http', port: 80 }] });
    const head = changed(
      base,
      (o) => (
        (o.spec.mode = 'slow'),
        (o.spec.ports = [
          { name: 'http', port: 8080 },
          { name: 'new', port: 1 },
        ])
      ),
    );
    const risks = named(risksOf([immutableMode, base], [immutableMode, head]), 'cel-validation');
    expect(risks.map((risk) => `${risk.field}: ${risk.message.split(' (')[0]}`)).toEqual([
      'spec: mode is immutable',
      'spec.ports[0]: port of http is immutable',
    ]);
    expect(risks[0]!.message).toContain('transition rule');
    // Created (no base object): transition rules do not run.
    expect(named(risksOf([immutableMode], [immutableMode, head]), 'cel-validation')).toEqual([]);
  });

  it('cel-validation: optionalOldSelf rules run on create too, with oldSelf an optional value', () => {
    const definition = crd([
      { rule: 'oldSelf.orValue(self).mode == self.mode', optionalOldSelf: true, message: 'mode is immutable' },
      { rule: "oldSelf.hasValue() || self.mode != 'legacy'", optionalOldSelf: true, message: 'new widgets cannot use legacy mode' },
    ]);
    expect(
      named(risksOf([definition], [definition, widget({ mode: 'legacy' })]), 'cel-validation').map((risk) => risk.message.split(' (')[0]),
    ).toEqual(['new widgets cannot use legacy mode']);
    const base = widget({ mode: 'fast' });
    expect(
      named(risksOf([definition, base], [definition, changed(base, (o) => (o.spec.mode = 'slow'))]), 'cel-validation').map(
        (risk) => risk.message.split(' (')[0],
      ),
    ).toEqual(['mode is immutable']);
  });

  it('cel-not-evaluated, never cel-validation, when the evaluator fails on a rule (field access on oldSelf.value())', () => {
    const definition = crd([{ rule: '!oldSelf.hasValue() || self.mode == oldSelf.value().mode', optionalOldSelf: true }]);
    const base = widget({ mode: 'fast' });
    const risks = risksOf([definition, base], [definition, changed(base, (o) => (o.spec.mode = 'slow'))]);
    expect(risks.map((risk) => risk.rule)).toEqual(['cel-not-evaluated']);
  });

  it('cel-validation sees schema defaults, as the API server does (no "no such key" on a defaulted field)', () => {
    const definition = crd([{ rule: 'self.minReplicas <= self.maxReplicas', message: 'min <= max' }]);
    const spec = (definition.spec.versions[0]!.schema.openAPIV3Schema.properties.spec as any).properties;
    spec.minReplicas.default = 1;
    spec.maxReplicas.default = 10;
    expect(risksOf([definition], [definition, widget({ mode: 'fast' })])).toEqual([]);
    expect(named(risksOf([definition], [definition, widget({ minReplicas: 11 })]), 'cel-validation')).toHaveLength(1);
    // Without a default, reading an absent field fails the rule at the API server too.
    delete spec.maxReplicas.default;
    expect(named(risksOf([definition], [definition, widget({ minReplicas: 1 })]), 'cel-validation')).toMatchObject([
      { message: expect.stringContaining('No such key: maxReplicas') },
    ]);
  });

  it('cel-validation with the Kubernetes quantity and list libraries (quantity(), isSorted(), sum())', () => {
    const definition = crd([
      { rule: 'quantity(self.mode).isLessThan(quantity("1Gi"))', message: 'mode must be below 1Gi' },
      { rule: '!has(self.ports) || self.ports.map(p, p.port).isSorted()', message: 'ports must be sorted' },
      { rule: '!has(self.ports) || self.ports.map(p, p.port).sum() <= 1000', message: 'ports sum' },
    ]);
    const ok = widget({
      mode: '512Mi',
      ports: [
        { name: 'a', port: 1 },
        { name: 'b', port: 2 },
      ],
    });
    expect(risksOf([definition], [definition, ok])).toEqual([]);
    const bad = widget({
      mode: '2Gi',
      ports: [
        { name: 'a', port: 900 },
        { name: 'b', port: 200 },
      ],
    });
    expect(named(risksOf([definition], [definition, bad]), 'cel-validation').map((risk) => risk.message.split(' (')[0])).toEqual([
      'mode must be below 1Gi',
      'ports must be sorted',
      'ports sum',
    ]);
  });

  it('cel-not-evaluated: a rule using a Kubernetes CEL library function the evaluator lacks is reported as not evaluated, once', () => {
    const unsupported = crd([{ rule: 'url(self.mode).getScheme() == "https"' }]);
    const risks = risksOf(
      [unsupported],
      [unsupported, widget({ mode: 'https://x' }), { ...widget({ mode: 'http://y' }), metadata: { name: 'w2', namespace: 'apps' } }],
    );
    expect(named(risks, 'cel-validation')).toEqual([]);
    expect(named(risks, 'cel-not-evaluated')).toMatchObject([
      { severity: 'low', message: expect.stringContaining('was not evaluated offline') },
    ]);
  });
});

describe('CEL matches()', () => {
  it('uses RE2: a nested-quantifier pattern against a long non-matching value answers at once', () => {
    const definition = crd([{ rule: "self.mode.matches('^(a+)+$')", message: 'mode must be all a' }]);
    const started = performance.now();
    const risks = named(risksOf([definition], [definition, widget({ mode: `${'a'.repeat(50_000)}!` })]), 'cel-validation');
    expect(risks).toMatchObject([{ message: expect.stringContaining('mode must be all a') }]);
    expect(named(risksOf([definition], [definition, widget({ mode: 'aaa' })]), 'cel-validation')).toEqual([]);
    // JavaScript's RegExp needs seconds for 28 characters here; 50,001 would never finish.
    expect(performance.now() - started).toBeLessThan(2_000);
  });
});
