import { connect, constants, type ClientHttp2Session } from 'node:http2';

/** An answer of the API server: status, body text, and the body parsed when it is JSON. */
export interface KubeResponse {
  status: number;
  text: string;
  json?: unknown;
}

/** Longer than the server's own request timeout (REQUEST_TIMEOUT_SECONDS): a hung stream must not hang the run. */
const REQUEST_TIMEOUT_MS = 330_000;

/**
 * The API server's HTTP client: one HTTP/2 connection (TLS, the server's own certificate pinned as
 * the only authority, a bearer token) carrying every request as a stream of its own, so many
 * objects are in flight at once without a process or a connection per object.
 */
export class KubeClient {
  private session: ClientHttp2Session | undefined;

  constructor(
    readonly baseUrl: string,
    private readonly token: string,
    private readonly certificateAuthority: string,
  ) {}

  request(method: string, path: string, body?: string, headers: Record<string, string> = {}): Promise<KubeResponse> {
    const session = this.connection();
    return new Promise((resolve, reject) => {
      const stream = session.request(
        {
          [constants.HTTP2_HEADER_METHOD]: method,
          [constants.HTTP2_HEADER_PATH]: path,
          authorization: `Bearer ${this.token}`,
          accept: 'application/json',
          ...headers,
        },
        // Node closes the request side at once for DELETE (as for GET and HEAD) unless told otherwise:
        // the body (DeleteOptions) would then fail with "write after end" and the request never be answered.
        { endStream: body === undefined },
      );
      stream.setTimeout(REQUEST_TIMEOUT_MS, () => stream.close(constants.NGHTTP2_CANCEL));
      let status = 0;
      const chunks: Buffer[] = [];
      stream.on('response', (responseHeaders) => (status = Number(responseHeaders[constants.HTTP2_HEADER_STATUS])));
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('error', reject);
      stream.on('close', () => {
        if (!status) return reject(new Error(`${method} ${path}: the API server closed the stream without an answer`));
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status, text, json: parseJson(text) });
      });
      stream.end(body);
    });
  }

  close(): void {
    this.session?.close();
    this.session = undefined;
  }

  private connection(): ClientHttp2Session {
    if (this.session && !this.session.closed && !this.session.destroyed) return this.session;
    const session = connect(this.baseUrl, { ca: this.certificateAuthority });
    // Connection errors surface on the requests in flight; a later request reconnects.
    session.on('error', () => {});
    this.session = session;
    return session;
  }
}

function parseJson(text: string): unknown {
  if (!text.startsWith('{') && !text.startsWith('[')) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
