import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface LocalServer {
  url: string;
  requests: string[];
  close(): Promise<void>;
}

/** An HTTP server on 127.0.0.1 (random free port) answering with `handler`; records request paths. */
export async function startLocalServer(handler: (request: IncomingMessage, response: ServerResponse) => void): Promise<LocalServer> {
  const requests: string[] = [];
  const server = createServer((request, response) => {
    requests.push(`${request.method} ${request.url}`);
    handler(request, response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Serves fixed bodies by path; anything else is a 404. */
export function staticFiles(files: Record<string, Buffer | string>) {
  return (request: IncomingMessage, response: ServerResponse) => {
    const body = files[new URL(request.url ?? '/', 'http://x').pathname];
    if (body === undefined) response.writeHead(404).end('not found');
    else response.writeHead(200, { 'content-length': Buffer.byteLength(body) }).end(body);
  };
}
