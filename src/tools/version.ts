import { runProgram } from '../process/run-program.js';
import { childEnvironment } from './child-environment.js';

/** A version probe answers at once; a binary that hangs (waiting for a network, a wrong file) is not the tool. */
const VERSION_PROBE_TIMEOUT_MS = 30_000;

const SEMVER = /v?(\d+\.\d+\.\d+)/;

/** Runs `binary versionArgs...` and returns the first `X.Y.Z` it prints, or undefined. */
export async function probeVersion(binary: string, versionArgs: readonly string[]): Promise<string | undefined> {
  const result = await runProgram(binary, versionArgs, { env: childEnvironment(), timeoutMs: VERSION_PROBE_TIMEOUT_MS });
  if (result.interruption) return undefined;
  const match = SEMVER.exec(`${result.stdout}\n${result.stderr}`);
  return match?.[1];
}
