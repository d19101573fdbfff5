import * as core from '@actions/core';
import { runAction } from './action/run.js';
import { readPullRequestEvent } from './github/pull-request.js';
import { readSettings } from './inputs.js';
import { checkDockerConfig, dockerConfigSecrets } from './images/registry-credentials.js';
import { formatSettingError } from './settings/setting-error.js';

/** The action's entry point: reads the inputs and the event, then runs the action; what it cannot report ends in core.setFailed. */
export async function run(): Promise<void> {
  try {
    const settings = readSettings();
    if (settings.token) core.setSecret(settings.token);
    if (settings.registryAuth) {
      for (const secret of [settings.registryAuth, ...dockerConfigSecrets(settings.registryAuth)]) core.setSecret(secret);
      // A broken secret stops the run here, as an invalid input does, not halfway through the comparison.
      checkDockerConfig(settings.registryAuth);
    }
    await runAction(settings, await readPullRequestEvent());
  } catch (error) {
    core.setFailed(formatSettingError(error, 'action'));
  }
}
