import { spawn } from 'node:child_process';
import { startLocalServer } from './static-server.js';
import type { IncomingMessage, ServerResponse } from 'node:http';

export interface GitHttpRequest {
  method: string;
  /** Path and query, e.g. `/origin.git/info/refs?service=git-receive-pack`. */
  url: string;
  /** The request carried the header GitHub accepts for the token. */
  authorized: boolean;
}

export interface GitHttpServer {
  url: string;
  requests: GitHttpRequest[];
  close(): Promise<void>;
}

/**
 * Git's smart HTTP protocol on 127.0.0.1, served by the real `git http-backend` (CGI) from the bare
 * repositories under `root`. Like GitHub, it wants `Authorization: Basic base64(x-access-token:<token>)`
 * on every request and answers 401 otherwise; pushes are allowed to an authorized request.
 */
export async function startGitHttpServer(options: { root: string; token: string }): Promise<GitHttpServer> {
  const expected = `basic ${Buffer.from(`x-access-token:${options.token}`).toString('base64')}`;
  const requests: GitHttpRequest[] = [];
  const handle = (request: IncomingMessage, response: ServerResponse): void => {
    const target = new URL(request.url ?? '/', 'http://127.0.0.1');
    const authorized = (request.headers.authorization ?? '').toLowerCase() === expected.toLowerCase();
    requests.push({ method: request.method ?? 'GET', url: `${target.pathname}${target.search}`, authorized });
    if (!authorized) {
      response.writeHead(401, { 'www-authenticate': 'Basic realm="git"', 'content-type': 'text/plain' }).end('authentication required\n');
      return;
    }
    const backend = spawn('git', ['http-backend'], {
      env: {
        PATH: process.env.PATH ?? '',
        GIT_PROJECT_ROOT: options.root,
        GIT_HTTP_EXPORT_ALL: '1',
        // http-backend allows receive-pack (push) to an authenticated user only.
        REMOTE_USER: 'x-access-token',
        REMOTE_ADDR: '127.0.0.1',
        REQUEST_METHOD: request.method ?? 'GET',
        PATH_INFO: decodeURIComponent(target.pathname),
        QUERY_STRING: target.search.replace(/^\?/, ''),
        CONTENT_TYPE: request.headers['content-type'] ?? '',
        ...(request.headers['content-length'] ? { CONTENT_LENGTH: request.headers['content-length'] } : {}),
        ...(request.headers['content-encoding'] ? { HTTP_CONTENT_ENCODING: request.headers['content-encoding'] } : {}),
        ...(request.headers['git-protocol'] ? { GIT_PROTOCOL: String(request.headers['git-protocol']) } : {}),
      },
    });
    request.pipe(backend.stdin);
    // CGI output: header lines, a blank line, then the body.
    let head = Buffer.alloc(0);
    let headersSent = false;
    backend.stdout.on('data', (chunk: Buffer) => {
      if (headersSent) {
        response.write(chunk);
        return;
      }
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf('\r\n\r\n');
      if (end < 0) return;
      const headers: Record<string, string> = {};
      let status = 200;
      for (const line of head.subarray(0, end).toString('latin1').split('\r\n')) {
        const colon = line.indexOf(':');
        const name = line.slice(0, colon).trim().toLowerCase();
        const value = line.slice(colon + 1).trim();
        if (name === 'status') status = Number(value.split(' ')[0]);
        else headers[name] = value;
      }
      response.writeHead(status, headers);
      headersSent = true;
      response.write(head.subarray(end + 4));
    });
    backend.on('close', () => {
      if (!headersSent) response.writeHead(500).end('git http-backend wrote no headers\n');
      else response.end();
    });
  };
  const server = await startLocalServer(handle);
  return { url: server.url, requests, close: () => server.close() };
}
