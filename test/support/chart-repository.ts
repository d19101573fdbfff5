import { createReadStream } from 'node:fs';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, normalize } from 'node:path';
import { execa } from 'execa';

export const FIXTURE_CHARTS = new URL('../fixtures/charts/', import.meta.url).pathname;

export interface ChartRepository {
  url: string;
  directory: string;
  close(): Promise<void>;
}

/**
 * A real Helm chart repository on 127.0.0.1: every chart under `chartsRoot/<name>/<version>/`
 * is packaged with `helm package`, indexed with `helm repo index` and served over HTTP.
 */
export async function startChartRepository(
  helm: string,
  chartsRoot = FIXTURE_CHARTS,
  env?: Record<string, string>,
): Promise<ChartRepository> {
  const directory = await mkdtemp(join(tmpdir(), 'hydrate-chart-repo-'));
  const server = createServer((request, response) => {
    const path = normalize(decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '');
    const file = join(directory, path);
    stat(file)
      .then(
        (info) => {
          if (!info.isFile()) throw new Error('not a file');
          response.writeHead(200, {
            'content-type': file.endsWith('.yaml') ? 'application/yaml' : 'application/gzip',
            'content-length': info.size,
          });
          createReadStream(file).pipe(response);
        },
        () => {
          response.writeHead(404).end('not found');
        },
      )
      .catch(() => response.writeHead(404).end('not found'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    const charts = await chartDirectories(chartsRoot);
    await Promise.all(charts.map((chart) => execa(helm, ['package', chart, '--destination', directory], { env })));
    await execa(helm, ['repo', 'index', directory, '--url', url], { env });
  } catch (error) {
    await closeServer(server);
    throw error;
  }
  return {
    url,
    directory,
    close: async () => {
      await closeServer(server);
      await rm(directory, { recursive: true, force: true });
    },
  };
}

async function chartDirectories(root: string): Promise<string[]> {
  const result: string[] = [];
  for (const name of (await readdir(root)).sort()) {
    for (const version of (await readdir(join(root, name))).sort()) result.push(join(root, name, version));
  }
  return result;
}

function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}
