/**
 * Child process of bench/validate/run.ts: the validation step of the pipeline on its own. The
 * manifests are read first (standing in for the render's output, which is already parsed in the
 * action), then `validateEnvironments` is timed in this fresh process: schema download or cache
 * read, conversion, compilation and validation. Prints `{"ms":..,"resources":..,"findings":..}`.
 * Usage: node --import tsx bench/validate/validate-rendered.ts <manifests> <schema base URL> <cache>
 */
import { performance } from 'node:perf_hooks';
import { readManifestTree } from '../../src/render/committed-manifests.js';
import { createSchemaSource } from '../../src/validate/schemas/schema-source.js';
import { validateEnvironments } from '../../src/validate/validate.js';

const [manifests, kubernetesSchemas, cacheDirectory] = process.argv.slice(2);
if (!manifests || !kubernetesSchemas || !cacheDirectory)
  throw new Error('usage: validate-rendered.ts <manifests> <schema base URL> <cache>');
const environments = await readManifestTree(manifests);
const started = performance.now();
const report = await validateEnvironments(environments, {
  schemas: createSchemaSource({ kubernetesSchemas, cacheDirectory, kubernetesVersion: '1.35' }),
});
const ms = performance.now() - started;
process.stdout.write(`${JSON.stringify({ ms, resources: report.resourceCount, findings: report.findings.length })}\n`);
