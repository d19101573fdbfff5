import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { locateSharedCharts, SHARED_CHARTS_ENV } from './shared-charts.js';

let scratch: string;
beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'hydrate-shared-charts-'));
  await mkdir(join(scratch, 'project'));
});
afterAll(() => rm(scratch, { recursive: true, force: true }));

/** A directory that looks like the platform's chart repositories (their first index is what is looked for). */
async function chartsAt(directory: string): Promise<string> {
  await mkdir(join(directory, 'cilium'), { recursive: true });
  await writeFile(join(directory, 'cilium', 'index.yaml'), 'apiVersion: v1\nentries: {}\n');
  return directory;
}

describe('the platform charts the tests render', () => {
  it('are ../shared/charts beside the project when it is there, else missing (the tests that need them are skipped)', async () => {
    const project = join(scratch, 'project');
    expect(locateSharedCharts({}, project)).toBeUndefined();
    const beside = await chartsAt(join(scratch, 'shared', 'charts'));
    expect(locateSharedCharts({}, project)).toBe(beside);
  });

  it('may be named by the environment, which must then hold them', async () => {
    const charts = await chartsAt(join(scratch, 'elsewhere', 'charts'));
    expect(locateSharedCharts({ [SHARED_CHARTS_ENV]: charts }, join(scratch, 'project'))).toBe(charts);
    expect(() => locateSharedCharts({ [SHARED_CHARTS_ENV]: scratch })).toThrow(
      `${SHARED_CHARTS_ENV}=${scratch} has no cilium/index.yaml: point it at the directory holding <repository>/index.yaml, or unset it`,
    );
  });
});
