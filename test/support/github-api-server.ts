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

export interface GitHubApiState {
  comments: Map<number, ApiComment[]>;
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
  const state: GitHubApiState = { comments: new Map(), labels: new Map(), tokens: new Map(), statuses: new Map(), faults: [], requests: [] };
  let nextId = 1000;
  let url = '';
  const repoPath = `/repos/${options.owner}/${options.repo}`;
  const maxPerPage = options.maxPerPage ?? 100;

  const newComment = (issue: number, login: string, body: string): ApiComment => {
    const id = nextId++;
    const now = new Date(Date.UTC(2026, 0, 1, 0, 0, id - 1000)).toISOString();
    const comment = { id, body, user: { login, type: login.endsWith('[bot]') ? 'Bot' : 'User' }, html_url: `https://github.example/${options.owner}/${options.repo}/pull/${issue}#issuecomment-${id}`, created_at: now, updated_at: now };
    state.comments.set(issue, [...(state.comments.get(issue) ?? []), comment]);
    return comment;
  };

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const target = new URL(request.url ?? '/', 'http://127.0.0.1');
    const auth = /^(?:token|Bearer) (.+)$/i.exec(request.headers.authorization ?? '')?.[1];
    const token = auth ? state.tokens.get(auth) : undefined;
    state.requests.push({ method: request.method ?? 'GET', url: `${target.pathname}${target.search}`, token: token?.login ?? token?.commentsAs ?? 'anonymous' });
    const fault = state.faults.find((candidate) => candidate.times > 0 && candidate.method === request.method && candidate.path.test(target.pathname));
    if (fault) fault.times -= 1;
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      if (fault) [status, body, headers] = [fault.status, fault.body, fault.headers ?? {}];
      const text = JSON.stringify(body);
      response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), ...headers }).end(text);
    };
    if (!token) return send(401, { message: 'Bad credentials', status: '401' });
    const body = request.method === 'POST' || request.method === 'PATCH' ? JSON.parse((await readBody(request)) || '{}') : {};
    if (fault && fault.when !== 'after') return send(fault.status, fault.body, fault.headers);
    // GitHub names the permission a refused request needs in x-accepted-github-permissions.
    const forbidden = (permission = 'pull_requests=write') =>
      send(403, { message: 'Resource not accessible by integration', documentation_url: 'https://docs.github.com/rest', status: '403' }, { 'x-accepted-github-permissions': permission });
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
        if (body.body.length > 65_536) return send(422, { message: 'Validation Failed', errors: [{ message: 'body is too long (maximum is 65536 characters)' }] });
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
      return send(200, (state.labels.get(Number(match[1])) ?? []).map((name, index) => ({ id: index + 1, name, color: 'ededed' })));
    }
    match = new RegExp(`^${repoPath}/statuses/([0-9a-f]{40})$`).exec(target.pathname);
    if (match && request.method === 'POST') {
      if (denied('statuses=write')) return forbidden('statuses=write');
      if (!['error', 'failure', 'pending', 'success'].includes(body.state)) return send(422, { message: 'Validation Failed', errors: [{ field: 'state', code: 'invalid' }] });
      if (typeof body.description === 'string' && body.description.length > 140) return send(422, { message: 'Validation Failed', errors: [{ field: 'description', code: 'custom', message: 'description is too long (maximum is 140 characters)' }] });
      const status: ApiCommitStatus = { state: body.state, context: body.context ?? 'default', description: body.description, target_url: body.target_url, creator: token.commentsAs };
      state.statuses.set(match[1]!, [...(state.statuses.get(match[1]!) ?? []), status]);
      return send(201, { id: nextId++, ...status, creator: { login: token.commentsAs } });
    }
    return send(404, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' });
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

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}
