import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VALIDATOR_CACHE_FOLDER, validateEnvironments, type ValidationReport } from '../../../src/validate/validate.js';
import { loadValidatorModule, validatorKey, validatorModule } from '../../../src/validate/schemas/validator-cache.js';
import { crdYaml, environment, schemaFixture } from '../fixtures.js';

type Fixture = Awaited<ReturnType<typeof schemaFixture>>;

/** A CRD using what cached code must call by name: Go patterns, formats, map-list keys, sets, enums. */
const toolCrd = (extraField = '') =>
  crdYaml(
    'example.org',
    'Tool',
    `name: {type: string, pattern: '^[a-z]+\\z'}
timeout: {type: string, format: duration}
mode: {type: string, enum: [fast, safe]}
tags: {type: array, items: {type: string}, x-kubernetes-list-type: set}
ports:
  type: array
  x-kubernetes-list-type: map
  x-kubernetes-list-map-keys: [port]
  items:
    type: object
    required: [port]
    properties:
      port: {type: integer}
      name: {type: string, maxLength: 5}
${extraField}`,
  );

const tools = `apiVersion: example.org/v1
kind: Tool
metadata: {name: good}
spec: {name: abc, timeout: 1m, mode: fast, tags: [a, b], ports: [{port: 80, name: http}, {port: 81}]}
---
apiVersion: example.org/v1
kind: Tool
metadata: {name: bad}
spec:
  name: ABC
  timeout: soon
  mode: slow
  tags: [a, a]
  ports: [{port: 80, name: toolong}, {port: 80}]
  color: red
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: web, image: nginx, ports: [{containerPort: "80"}]}]}
`;

const environments = (crd = toolCrd()) => [environment('staging', { tools: `${crd}---\n${tools}` })];

describe('compiled validators kept between runs', () => {
  let fixture: Fixture;
  let first: ValidationReport;
  const folder = () => join(fixture.cacheDirectory, VALIDATOR_CACHE_FOLDER);
  const entries = async () => (await readdir(folder())).sort();

  beforeAll(async () => {
    fixture = await schemaFixture();
    first = await validateEnvironments(environments(), { schemas: fixture.source() });
  });
  afterAll(() => fixture.remove());

  it('are written on the first run and give the same report from the cache', async () => {
    expect(first.findings.map((finding) => `${finding.resource.name} ${finding.path} ${finding.rule}`)).toEqual([
      'web .spec.template.spec.containers[0].ports[0].containerPort invalid-value',
      'bad .spec.name invalid-value',
      'bad .spec.timeout invalid-value',
      'bad .spec.mode invalid-value',
      'bad .spec.tags duplicate-list-entry',
      'bad .spec.ports duplicate-list-entry',
      'bad .spec.ports[0].name invalid-value',
      'bad .spec.color unknown-field',
    ]);
    const written = await entries();
    // Tool, Deployment and the CustomResourceDefinition itself.
    expect(written).toHaveLength(3);
    expect(written.every((name) => /^[0-9a-f]{64}\.cjs$/.test(name))).toBe(true);
    const contents = await Promise.all(written.map((name) => readFile(join(folder(), name), 'utf8')));
    const second = await validateEnvironments(environments(), { schemas: fixture.source() });
    expect(second).toEqual(first);
    expect(await entries()).toEqual(written);
    expect(await Promise.all(written.map((name) => readFile(join(folder(), name), 'utf8')))).toEqual(contents);
  });

  it('ignores a damaged entry and writes it again', async () => {
    const written = await entries();
    const contents = await Promise.all(written.map((name) => readFile(join(folder(), name), 'utf8')));
    await writeFile(join(folder(), written[0]!), 'not a module');
    // Same digest line, other code: never run.
    await writeFile(join(folder(), written[1]!), contents[1]!.replace('return', 'return true;return'));
    await writeFile(join(folder(), written[2]!), contents[2]!.slice(0, contents[2]!.length / 2));
    const again = await validateEnvironments(environments(), { schemas: fixture.source() });
    expect(again).toEqual(first);
    expect(await Promise.all(written.map((name) => readFile(join(folder(), name), 'utf8')))).toEqual(contents);
  });

  it('are keyed by what they are compiled from: a changed CRD compiles anew', async () => {
    const before = await entries();
    const changed = toolCrd('color: {type: string}');
    const report = await validateEnvironments(environments(changed), { schemas: fixture.source() });
    expect(report.findings.map((finding) => finding.path)).not.toContain('.spec.color');
    expect(report.findings).toHaveLength(first.findings.length - 1);
    const after = await entries();
    // A new Tool validator only: the Deployment and CustomResourceDefinition validators are unchanged.
    expect(after.filter((name) => !before.includes(name))).toHaveLength(1);
    expect(validatorKey(['a', 'b'])).not.toBe(validatorKey(['a', 'c']));
    expect(validatorKey(['ab', 'c'])).not.toBe(validatorKey(['a', 'bc']));
  });
});

describe('validator modules', () => {
  const runtime = { formats: {}, compileGoPattern: undefined, hasDistinctListMapKeys: undefined };
  const ajv = new Ajv({ code: { source: true } });
  const validate = ajv.compile({ type: 'object', properties: { a: { enum: [{ x: 1 }] }, b: { type: 'string', maxLength: 2 } } });

  it('load to a function that checks as the compiled one', () => {
    const loaded = loadValidatorModule(validatorModule(ajv, validate)!, runtime)!;
    for (const value of [{ a: { x: 1 } }, { a: { x: 2 } }, { b: 'ab' }, { b: 'abc' }, 5]) expect(loaded(value)).toBe(validate(value));
  });

  it('are not loaded when they need what is not provided', () => {
    const module = validatorModule(ajv, validate)!;
    expect(loadValidatorModule(module.replace('ajv/dist/runtime/equal', 'ajv/dist/runtime/other'), runtime)).toBeUndefined();
  });
});
