import * as core from '@actions/core';

/** Runs one phase of the action inside a collapsible log group and logs how long it took. */
export async function phase<T>(name: string, task: () => Promise<T>): Promise<T> {
  return core.group(name, async () => {
    const started = performance.now();
    try {
      return await task();
    } finally {
      core.info(`${name}: ${((performance.now() - started) / 1000).toFixed(1)} s`);
    }
  });
}
