import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isAbsolute, relative, resolve, sep } from 'node:path';

export interface DirectoryServer {
  url: string;
  close(): Promise<void>;
}

/** Serves `directories[i]` read-only at `/<i>/` on 127.0.0.1 (a random free port). */
export async function serveDirectories(directories: readonly string[]): Promise<DirectoryServer> {
  const server: Server = createServer((request, response) => {
    const notFound = () => response.writeHead(404, { 'content-type': 'text/plain' }).end('not found in the chart mirror\n');
    if (request.method !== 'GET' && request.method !== 'HEAD') return void response.writeHead(405).end();
    let pathname: string;
    try {
      pathname = decodeURIComponent(new URL(request.url ?? '/', 'http://mirror').pathname);
    } catch {
      return void notFound();
    }
    const [, index, ...rest] = pathname.split('/');
    const root = directories[Number(index)];
    if (root === undefined || !/^\d+$/.test(index ?? '')) return void notFound();
    const file = resolve(root, ...rest);
    const inside = relative(root, file);
    if (inside === '' || inside.startsWith('..') || isAbsolute(inside) || inside.split(sep).includes('..')) return void notFound();
    stat(file).then(
      (info) => {
        if (!info.isFile()) return notFound();
        response.writeHead(200, {
          'content-type': file.endsWith('.yaml') ? 'application/yaml' : 'application/octet-stream',
          'content-length': info.size,
        });
        if (request.method === 'HEAD') return void response.end();
        createReadStream(file)
          .on('error', () => response.destroy())
          .pipe(response);
      },
      () => notFound(),
    );
  });
  await new Promise<void>((done, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => done());
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}
