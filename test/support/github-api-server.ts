import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ApiComment {
  id: number;
  body: string;
  user: { login: string; type: string };
  html_url: string;
  created_at: string;
  updated_at: string;
}

export interface ApiToken {
  /** Login `GET /user` returns; undefined answers 403 like an installation token (GITHUB_TOKEN). */
  login?: string;
  /** Who comments made with this token are attributed to. */
  commentsAs: string;
  /** A fork pull request's GITHUB_TOKEN: every write is refused with 403. */
  readOnly?: boolean;
  /** Permissions the token lacks (`statuses=write`...): those requests are refused with 403 as GitHub does. */
  denied?: string[];
}

/** A commit status as `POST /repos/{owner}/{repo}/statuses/{sha}` stores it. */
export interface ApiCommitStatus {
  state: string;
  context: string;
  description?: string;
  target_url?: string;
  creator: string;
}

/**
 * An answer the server gives instead of the real one, `times` times, to requests matching
 * `method` and `path` (GitHub's incidents and limits: 500, 502, 403 secondary rate limit...).
 */
export interface InjectedFault {
  method: string;
  path: RegExp;
  status: number;
  body: unknown;
  headers?: Record<string, string>;
  times: number;
  /** `after`: the request is carried out, then answered with the fault (a create GitHub made but reported as failed). */
  when?: 'instead' | 'after';
}

/** An artifact uploaded through the Actions results service (what @actions/artifact v2+ talks to). */
export interface ResultsArtifact {
  id: number;
  name: string;
  workflowRunBackendId: string;
  workflowJobRunBackendId: string;
  /** Blocks staged by the blob upload, by block id, until the block list commits them. */
  blocks: Map<string, Buffer>;
  /** The uploaded blob (a zip unless uploaded with skipArchive). */
  content?: Buffer;
  finalized: boolean;
  size?: string;
  hash?: string;
}

export interface GitHubApiState {
  comments: Map<number, ApiComment[]>;
  /** Artifacts by name; the runtime tokens (`ACTIONS_RUNTIME_TOKEN`) the results service accepts. */
  artifacts: Map<string, ResultsArtifact>;
  runtimeTokens: Set<string>;
  labels: Map<number, string[]>;
  tokens: Map<string, ApiToken>;
  statuses: Map<string, ApiCommitStatus[]>;
  faults: InjectedFault[];
  /** Every request as `METHOD path?query`, with the token's login or `anonymous`. */
  requests: { method: string; url: string; token: string }[];
}

export interface GitHubApiServer {
  url: string;
  state: GitHubApiState;
  /** Adds a comment as if `login` wrote it (someone quoting the marker, an old bot comment...). */
  addComment(issue: number, login: string, body: string): ApiComment;
  writes(): { method: string; url: string }[];
  /** Answers the next `times` requests matching method and path with this status, body and headers. */
  injectFault(fault: Omit<InjectedFault, 'times'> & { times?: number }): void;
  close(): Promise<void>;
}

export interface GitHubApiServerOptions {
  owner: string;
  repo: string;
  /** Largest page the server returns, to exercise Link pagination with few comments (GitHub: 100). */
  maxPerPage?: number;
}

/**
 * A small, real HTTP implementation of the GitHub REST endpoints the action uses, on 127.0.0.1,
 * with in-memory state tests inspect: issue comments (list with Link pagination, create, update),
 * labels, `GET /user`, commit statuses; faults injected on demand (5xx, rate limits). Authorization
 * and write permissions behave as GitHub's do for the cases tested (installation tokens cannot
 * call /user, read-only tokens cannot write, nobody can edit someone else's comment).
 */
export async function startGitHubApiServer(options: GitHubApiServerOptions): Promise<GitHubApiServer> {
  const state: GitHubApiState = {
    comments: new Map(),
    artifacts: new Map(),
    runtimeTokens: new Set(),
    labels: new Map(),
    tokens: new Map(),
    statuses: new Map(),
    faults: [],
    requests: [],
  };
  let nextId = 1000;
  let url = '';
  const repoPath = `/repos/${options.owner}/${options.repo}`;
  const maxPerPage = options.maxPerPage ?? 100;

  const newComment = (issue: number, login: string, body: string): ApiComment => {
    const id = nextId++;
    const now = new Date(Date.UTC(2026, 0, 1, 0, 0, id - 1000)).toISOString();
    const comment = {
      id,
      body,
      user: { login, type: login.endsWith('[bot]') ? 'Bot' : 'User' },
      html_url: `https://github.example/${options.owner}/${options.repo}/pull/${issue}#issuecomment-${id}`,
      created_at: now,
      updated_at: now,
    };
    state.comments.set(issue, [...(state.comments.get(issue) ?? []), comment]);
    return comment;
  };

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const target = new URL(request.url ?? '/', 'http://127.0.0.1');
    const auth = /^(?:token|Bearer) (.+)$/i.exec(request.headers.authorization ?? '')?.[1];
    const token = auth ? state.tokens.get(auth) : undefined;
    state.requests.push({
      method: request.method ?? 'GET',
      url: `${target.pathname}${target.search}`,
      token: token?.login ?? token?.commentsAs ?? 'anonymous',
    });
    const fault = state.faults.find(
      (candidate) => candidate.times > 0 && candidate.method === request.method && candidate.path.test(target.pathname),
    );
    if (fault) fault.times -= 1;
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      if (fault) [status, body, headers] = [fault.status, fault.body, fault.headers ?? {}];
      const text = JSON.stringify(body);
      response
        .writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), ...headers })
        .end(text);
    };
    if (target.pathname.startsWith(RESULTS_SERVICE_PATH) || target.pathname.startsWith(BLOB_PATH))
      return handleResults(request, response, target, auth);
    if (!token) return send(401, { message: 'Bad credentials', status: '401' });
    const body = request.method === 'POST' || request.method === 'PATCH' ? JSON.parse((await readBody(request)) || '{}') : {};
    if (fault && fault.when !== 'after') return send(fault.status, fault.body, fault.headers);
    // GitHub names the permission a refused request needs in x-accepted-github-permissions.
    const forbidden = (permission = 'pull_requests=write') =>
      send(
        403,
        { message: 'Resource not accessible by integration', documentation_url: 'https://docs.github.com/rest', status: '403' },
        { 'x-accepted-github-permissions': permission },
      );
    const denied = (permission: string) => token.readOnly || (token.denied ?? []).includes(permission);

    if (request.method === 'GET' && target.pathname === '/user') {
      return token.login ? send(200, { login: token.login, id: 1, type: 'User' }) : forbidden();
    }
    let match = new RegExp(`^${repoPath}/issues/(\\d+)/comments$`).exec(target.pathname);
    if (match) {
      const issue = Number(match[1]);
      if (request.method === 'GET') {
        const all = state.comments.get(issue) ?? [];
        const perPage = Math.min(Number(target.searchParams.get('per_page') ?? 30), maxPerPage);
        const page = Number(target.searchParams.get('page') ?? 1);
        const last = Math.max(1, Math.ceil(all.length / perPage));
        const links: string[] = [];
        const link = (n: number, rel: string) => {
          const next = new URL(`${url}${target.pathname}`);
          next.searchParams.set('per_page', String(perPage));
          next.searchParams.set('page', String(n));
          links.push(`<${next.href}>; rel="${rel}"`);
        };
        if (page < last) {
          link(page + 1, 'next');
          link(last, 'last');
        }
        return send(200, all.slice((page - 1) * perPage, page * perPage), links.length ? { link: links.join(', ') } : {});
      }
      if (request.method === 'POST') {
        if (denied('pull_requests=write')) return forbidden();
        if (typeof body.body !== 'string') return send(422, { message: 'body is missing' });
        if (body.body.length > 65_536)
          return send(422, { message: 'Validation Failed', errors: [{ message: 'body is too long (maximum is 65536 characters)' }] });
        return send(201, newComment(issue, token.commentsAs, body.body));
      }
    }
    match = new RegExp(`^${repoPath}/issues/comments/(\\d+)$`).exec(target.pathname);
    if (match && request.method === 'PATCH') {
      const comment = [...state.comments.values()].flat().find((candidate) => candidate.id === Number(match![1]));
      if (!comment) return send(404, { message: 'Not Found' });
      if (denied('pull_requests=write') || comment.user.login !== token.commentsAs) return forbidden();
      if (typeof body.body !== 'string' || body.body.length > 65_536) return send(422, { message: 'Validation Failed' });
      comment.body = body.body;
      comment.updated_at = new Date(Date.parse(comment.updated_at) + 1000).toISOString();
      return send(200, comment);
    }
    match = new RegExp(`^${repoPath}/issues/(\\d+)/labels$`).exec(target.pathname);
    if (match && request.method === 'GET') {
      return send(
        200,
        (state.labels.get(Number(match[1])) ?? []).map((name, index) => ({ id: index + 1, name, color: 'ededed' })),
      );
    }
    match = new RegExp(`^${repoPath}/statuses/([0-9a-f]{40})$`).exec(target.pathname);
    if (match && request.method === 'POST') {
      if (denied('statuses=write')) return forbidden('statuses=write');
      if (!['error', 'failure', 'pending', 'success'].includes(body.state))
        return send(422, { message: 'Validation Failed', errors: [{ field: 'state', code: 'invalid' }] });
      if (typeof body.description === 'string' && body.description.length > 140)
        return send(422, {
          message: 'Validation Failed',
          errors: [{ field: 'description', code: 'custom', message: 'description is too long (maximum is 140 characters)' }],
        });
      const status: ApiCommitStatus = {
        state: body.state,
        context: body.context ?? 'default',
        description: body.description,
        target_url: body.target_url,
        creator: token.commentsAs,
      };
      state.statuses.set(match[1]!, [...(state.statuses.get(match[1]!) ?? []), status]);
      return send(201, { id: nextId++, ...status, creator: { login: token.commentsAs } });
    }
    return send(404, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' });
  };

  /**
   * The Actions results service as @actions/artifact (v2 and later) calls it: twirp JSON
   * `CreateArtifact` (answers a signed blob URL on this server), an Azure block blob upload to that
   * URL (`comp=block` per block, then `comp=blocklist`), and `FinalizeArtifact` (answers the id).
   * Names are unique per workflow run, as on GitHub.
   */
  const handleResults = async (
    request: IncomingMessage,
    response: ServerResponse,
    target: URL,
    auth: string | undefined,
  ): Promise<void> => {
    const send = (status: number, body: unknown) => {
      const text = JSON.stringify(body);
      response.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) }).end(text);
    };
    if (target.pathname.startsWith(BLOB_PATH)) {
      const artifact = [...state.artifacts.values()].find((candidate) => target.pathname === `${BLOB_PATH}${candidate.id}`);
      if (!artifact || target.searchParams.get('sig') !== blobSignature(artifact.id) || request.method !== 'PUT')
        return void response.writeHead(403).end();
      const body = await readBytes(request);
      const comp = target.searchParams.get('comp');
      if (comp === 'block') artifact.blocks.set(target.searchParams.get('blockid') ?? '', body);
      else if (comp === 'blocklist') {
        const ids = [...body.toString('utf8').matchAll(/<(?:Latest|Committed|Uncommitted)>([^<]*)<\//g)].map((match) => match[1]!);
        artifact.content = Buffer.concat(ids.map((id) => artifact.blocks.get(id) ?? Buffer.alloc(0)));
      } else artifact.content = body;
      response
        .writeHead(201, {
          etag: `"0x${artifact.id.toString(16)}"`,
          'last-modified': new Date(Date.UTC(2026, 0, 1)).toUTCString(),
          'x-ms-request-complete': 'true',
          'content-length': '0',
        })
        .end();
      return;
    }
    if (!auth || !state.runtimeTokens.has(auth)) return send(401, { code: 'unauthenticated', msg: 'invalid runtime token' });
    const body = JSON.parse((await readBody(request)) || '{}') as Record<string, string>;
    const method = target.pathname.slice(RESULTS_SERVICE_PATH.length);
    if (method === 'CreateArtifact') {
      if (state.artifacts.has(body.name!))
        return send(409, { code: 'already_exists', msg: `an artifact named ${body.name} already exists in this run` });
      const id = nextId++;
      state.artifacts.set(body.name!, {
        id,
        name: body.name!,
        workflowRunBackendId: body.workflow_run_backend_id!,
        workflowJobRunBackendId: body.workflow_job_run_backend_id!,
        blocks: new Map(),
        finalized: false,
      });
      return send(200, { ok: true, signed_upload_url: `${url}${BLOB_PATH}${id}?sig=${blobSignature(id)}` });
    }
    if (method === 'FinalizeArtifact') {
      const artifact = state.artifacts.get(body.name!);
      if (!artifact || artifact.content === undefined)
        return send(404, { code: 'not_found', msg: `no uploaded artifact named ${body.name}` });
      Object.assign(artifact, { finalized: true, size: body.size, hash: body.hash });
      return send(200, { ok: true, artifact_id: String(artifact.id) });
    }
    return send(404, { code: 'bad_route', msg: `no handler for ${target.pathname}` });
  };

  const server = createServer((request, response) => {
    handle(request, response).catch((error) => {
      response.writeHead(500).end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    state,
    addComment: newComment,
    injectFault: (fault) => state.faults.push({ times: 1, ...fault }),
    writes: () => state.requests.filter((entry) => entry.method !== 'GET').map(({ method, url: path }) => ({ method, url: path })),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const RESULTS_SERVICE_PATH = '/twirp/github.actions.results.api.v1.ArtifactService/';
const BLOB_PATH = '/artifact-blobs/';

function blobSignature(id: number): string {
  return `signature-${id}`;
}

/**
 * An `ACTIONS_RUNTIME_TOKEN` as the runner issues it: a JWT whose `scp` claim carries the
 * workflow run's and job's backend ids (`Actions.Results:<run>:<job>`); @actions/artifact reads them.
 */
export function runtimeToken(runBackendId: string, jobBackendId: string): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'none', typ: 'JWT' })}.${part({ scp: `Actions.GenericRead:0 Actions.Results:${runBackendId}:${jobBackendId}`, exp: 4102444800 })}.signature`;
}

function readBytes(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}
