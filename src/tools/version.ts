import { execa } from 'execa';
import { childEnvironment } from './child-environment.js';

const SEMVER = /v?(\d+\.\d+\.\d+)/;

/** Runs `binary versionArgs...` and returns the first `X.Y.Z` it prints, or undefined. */
export async function probeVersion(binary: string, versionArgs: readonly string[]): Promise<string | undefined> {
  const result = await execa(binary, versionArgs, { reject: false, env: childEnvironment(), extendEnv: false, timeout: 30_000 });
  if (result.failed && result.exitCode === undefined) return undefined;
  const match = SEMVER.exec(`${result.stdout}\n${result.stderr}`);
  return match?.[1];
}
