import { createWriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream } from 'node:stream/web';

/** A file could not be fetched: no network, a refused connection, or an HTTP error status. */
export class DownloadUnavailableError extends Error {
  constructor(
    readonly url: string,
    readonly reason: string,
  ) {
    super(`${url} cannot be downloaded: ${reason}`);
    this.name = 'DownloadUnavailableError';
  }
}

/** Writes the body at `url` to `destination`; throws DownloadUnavailableError when it cannot be fetched. */
export async function downloadToFile(url: string, destination: string): Promise<void> {
  const response = await get(url);
  try {
    await pipeline(Readable.fromWeb(response.body as ReadableStream<Uint8Array>), createWriteStream(destination));
  } catch (error) {
    throw new DownloadUnavailableError(url, `the transfer broke off (${networkReason(error)})`);
  }
}

/** The body at `url` as text; throws DownloadUnavailableError when it cannot be fetched. */
export async function downloadText(url: string): Promise<string> {
  const response = await get(url);
  try {
    return await response.text();
  } catch (error) {
    throw new DownloadUnavailableError(url, `the transfer broke off (${networkReason(error)})`);
  }
}

async function get(url: string): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(url, { redirect: 'follow' });
  } catch (error) {
    throw new DownloadUnavailableError(url, networkReason(error));
  }
  if (!response.ok || !response.body) {
    await response.body?.cancel();
    throw new DownloadUnavailableError(url, `HTTP ${response.status} ${response.statusText}`.trim());
  }
  return response;
}

/** fetch says only "fetch failed"; the reason (ECONNREFUSED, ENOTFOUND, a TLS error) is in its cause. */
function networkReason(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error as Error).message;
}
