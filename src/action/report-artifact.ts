import { basename, dirname } from 'node:path';
import { DefaultArtifactClient } from '@actions/artifact';

/** Days GitHub keeps the report artifact: long enough for a pull request's review, short enough not to pile up. */
export const REPORT_ARTIFACT_RETENTION_DAYS = 30;

export interface ReportArtifact {
  id: number;
  name: string;
  /** The artifact's download page; the run's artifacts list when the run is not known. */
  url: string;
}

/** Where the run's pages are, from the runner's environment; undefined outside a workflow run. */
export interface RunLocation {
  serverUrl: string;
  repository: string;
  runId: string;
}

export function runLocation(env: NodeJS.ProcessEnv = process.env): RunLocation | undefined {
  const { GITHUB_SERVER_URL: serverUrl = 'https://github.com', GITHUB_REPOSITORY: repository, GITHUB_RUN_ID: runId } = env;
  return repository && runId ? { serverUrl: serverUrl.replace(/\/+$/, ''), repository, runId } : undefined;
}

/** The run's page, whose summary tab holds the job summary. */
export function runUrl(run: RunLocation): string {
  return `${run.serverUrl}/${run.repository}/actions/runs/${run.runId}`;
}

/** What GitHub links an artifact as (`actions/upload-artifact`'s `artifact-url` output has this form). */
export function artifactUrl(run: RunLocation, id: number): string {
  return `${runUrl(run)}/artifacts/${id}`;
}

/**
 * The artifact's name: one per helmfile (an action step per helmfile in one job must not
 * collide) and per run attempt (a re-run uploads anew; names are unique within a run).
 */
export function reportArtifactName(helmfile: string, env: NodeJS.ProcessEnv = process.env): string {
  const slug = helmfile.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[-.]+|[-.]+$/g, '') || 'helmfile';
  const attempt = env.GITHUB_RUN_ATTEMPT && env.GITHUB_RUN_ATTEMPT !== '1' ? `-attempt-${env.GITHUB_RUN_ATTEMPT}` : '';
  return `helmfile-hydrate-report-${slug}${attempt}`;
}

/**
 * Uploads the full report files (all in one directory) as a workflow artifact with
 * @actions/artifact, which talks to the Actions results service the runner names in
 * `ACTIONS_RESULTS_URL` with `ACTIONS_RUNTIME_TOKEN`. Throws when the upload fails.
 */
export async function uploadReportArtifact(
  name: string,
  files: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<ReportArtifact> {
  if (files.length === 0) throw new Error('no report files to upload');
  if (!env.ACTIONS_RUNTIME_TOKEN || !env.ACTIONS_RESULTS_URL)
    throw new Error('ACTIONS_RUNTIME_TOKEN and ACTIONS_RESULTS_URL are not set (not a GitHub Actions run)');
  const directory = dirname(files[0]!);
  const stray = files.find((file) => dirname(file) !== directory);
  if (stray) throw new Error(`report files must share one directory: ${basename(stray)} is not in ${directory}`);
  const { id } = await new DefaultArtifactClient().uploadArtifact(name, [...files], directory, {
    retentionDays: REPORT_ARTIFACT_RETENTION_DAYS,
  });
  if (id === undefined) throw new Error(`the artifact service did not return an id for ${name}`);
  const run = runLocation(env);
  return { id, name, url: run ? artifactUrl(run, id) : '' };
}

/**
 * The end of the comment's "N more resources not shown" line: a link to the uploaded artifact
 * and to the job summary, or to the job summary alone when the upload failed.
 */
export function fullReportHint(artifact: ReportArtifact | undefined, run: RunLocation | undefined): string {
  const summary = run ? `[job summary](${runUrl(run)})` : 'job summary';
  if (artifact && artifact.url) return `the full report is the [${artifact.name} artifact](${artifact.url}); also in the ${summary}`;
  return `see the ${summary}`;
}

/**
 * Uploads the full report and returns the hint for the comment. Never throws: a failed upload is
 * a warning (the run's result does not depend on it) and the comment then points to the job summary.
 */
export async function shareFullReport(
  name: string,
  files: readonly string[],
  log: { info(message: string): void; warning(message: string): void },
  env: NodeJS.ProcessEnv = process.env,
): Promise<string> {
  const run = runLocation(env);
  try {
    const artifact = await uploadReportArtifact(name, files, env);
    log.info(`full report uploaded as the artifact ${artifact.name}${artifact.url ? `: ${artifact.url}` : ''}`);
    return fullReportHint(artifact, run);
  } catch (error) {
    log.warning(
      `could not upload the full report as an artifact (${(error as Error).message}); the comment points to the job summary instead`,
    );
    return fullReportHint(undefined, run);
  }
}
