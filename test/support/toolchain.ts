import { inject } from 'vitest';
import { childEnvironment } from '../../src/tools/child-environment.js';
import type { RenderToolchain } from '../../src/render/render.js';
import { delimiter, dirname } from 'node:path';
import { isolatedHelmEnv } from './helm-home.js';

/** The real helm and helmfile installed by the global setup, with a helm home of its own. */
export async function testToolchain(): Promise<RenderToolchain & { remove: () => Promise<void> }> {
  const helm = inject('helmPath');
  const helmfile = inject('helmfilePath');
  const home = await isolatedHelmEnv();
  const base = childEnvironment(process.env, home.env);
  return {
    helm: { path: helm },
    helmfile: { path: helmfile },
    env: { ...base, PATH: [dirname(helm), base.PATH ?? ''].join(delimiter) },
    remove: home.remove,
  };
}
