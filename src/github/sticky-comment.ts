import { GITHUB_COMMENT_MAX_CHARACTERS } from '../defaults.js';
import { httpStatus, type GitHubClient } from './client.js';

/** What is known of an existing comment; the fields the REST API returns that matter here. */
export interface ExistingComment {
  id: number;
  body?: string | null;
  user?: { login: string } | null;
  html_url?: string;
}

export interface StickyCommentTarget {
  owner: string;
  repo: string;
  issueNumber: number;
  /** Hidden HTML comment that identifies this action's comment; must appear in `body`. */
  marker: string;
  /** Only comments by this login count: a marker quoted in someone else's comment is ignored. */
  login: string;
}

export interface StickyCommentResult {
  action: 'created' | 'updated' | 'unchanged';
  id: number;
  url: string;
}

/**
 * The hidden marker of the sticky comment. It names the helmfile so two jobs rendering two
 * helmfiles of one repository keep one comment each.
 */
export function stickyCommentMarker(helmfile: string): string {
  return `<!-- helmfile-hydrate sticky comment: ${helmfile.replace(/--+/g, '-').replace(/>/g, '')} -->`;
}

/** The comment to update: the oldest one by `login` that contains `marker` (pure). */
export function findStickyComment<T extends ExistingComment>(comments: readonly T[], marker: string, login: string): T | undefined {
  const mine = comments.filter(
    (comment) => comment.user?.login.toLowerCase() === login.toLowerCase() && (comment.body ?? '').includes(marker),
  );
  return mine.sort((a, b) => a.id - b.id)[0];
}

/**
 * Creates the sticky comment, or updates it in place; leaves it alone when the body is the same.
 * Every page of comments is read, so the comment is found on pull requests with long threads.
 */
export async function upsertStickyComment(client: GitHubClient, target: StickyCommentTarget, body: string): Promise<StickyCommentResult> {
  if (!body.includes(target.marker)) throw new Error('the sticky comment body must contain its marker, or the next run could not find it');
  if (body.length > GITHUB_COMMENT_MAX_CHARACTERS)
    throw new Error(`the comment body has ${body.length} characters; GitHub accepts at most ${GITHUB_COMMENT_MAX_CHARACTERS}`);
  const params = { owner: target.owner, repo: target.repo, issue_number: target.issueNumber };
  const find = async () =>
    findStickyComment(await client.paginate(client.rest.issues.listComments, { ...params, per_page: 100 }), target.marker, target.login);
  const existing = await find();
  if (existing) return updateStickyComment(client, target, existing, body);
  try {
    // Not retried by the client: a create GitHub carried out before answering 5xx would be posted twice.
    const { data } = await client.rest.issues.createComment({ ...params, body, request: { retries: 0 } });
    return { action: 'created', id: data.id, url: data.html_url };
  } catch (error) {
    if ((httpStatus(error) ?? 0) < 500) throw error;
    // Look again: the comment GitHub may have made is updated instead of made a second time.
    const made = await find();
    if (made) return updateStickyComment(client, target, made, body);
    const { data } = await client.rest.issues.createComment({ ...params, body });
    return { action: 'created', id: data.id, url: data.html_url };
  }
}

async function updateStickyComment(
  client: GitHubClient,
  target: StickyCommentTarget,
  existing: ExistingComment,
  body: string,
): Promise<StickyCommentResult> {
  if (existing.body === body) return { action: 'unchanged', id: existing.id, url: existing.html_url ?? '' };
  const { data } = await client.rest.issues.updateComment({ owner: target.owner, repo: target.repo, comment_id: existing.id, body });
  return { action: 'updated', id: data.id, url: data.html_url };
}
