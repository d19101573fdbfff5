import { readFile } from 'node:fs/promises';

/** The pull request a run acts on, as the triggering event describes it. */
export interface PullRequestContext {
  eventName: string;
  number: number;
  /** `owner/name` of the repository the pull request is opened against. */
  repository: string;
  owner: string;
  repo: string;
  baseSha: string;
  baseRef: string;
  headSha: string;
  /** The branch the pull request merges from (in `headRepository`). */
  headRef: string;
  /** `owner/name` of the repository holding the head branch; '' when the fork was deleted. */
  headRepository: string;
  /** The head branch lives in another repository: the workflow gets a read-only token and cannot push there. */
  isFork: boolean;
  author: string;
  /** Who triggered this run (`sender.login` of the event). */
  sender: string;
  labels: string[];
}

/** GitHub's login for Dependabot; `pull_request` runs it triggers get a read-only token. */
export const DEPENDABOT_LOGIN = 'dependabot[bot]';

/**
 * Why this run's token cannot write (push or comment), or undefined when it can. GitHub gives
 * `pull_request` runs a read-only GITHUB_TOKEN when the head is a fork, and when Dependabot
 * triggered the run (docs: "Automating Dependabot with GitHub Actions").
 */
export function readOnlyTokenReason(pr: PullRequestContext): string | undefined {
  if (pr.isFork) return `the pull request comes from the fork ${pr.headRepository || '(deleted)'}`;
  if (pr.eventName === 'pull_request' && pr.sender === DEPENDABOT_LOGIN) return 'Dependabot triggered this run';
  return undefined;
}

/** Events whose payload carries a `pull_request` object this action understands. */
export const PULL_REQUEST_EVENTS = ['pull_request', 'pull_request_target'] as const;

export class EventError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EventError';
  }
}

/** Reads `GITHUB_EVENT_PATH`; throws EventError naming what is missing. */
export async function readPullRequestEvent(env: NodeJS.ProcessEnv = process.env): Promise<PullRequestContext> {
  const eventName = env.GITHUB_EVENT_NAME ?? '';
  if (!(PULL_REQUEST_EVENTS as readonly string[]).includes(eventName)) {
    throw new EventError(
      `the workflow was triggered by "${eventName || 'an unknown event'}"; helmfile-hydrate runs on pull_request events ` +
        '(add `on: pull_request` to the workflow)',
    );
  }
  const path = env.GITHUB_EVENT_PATH;
  if (!path) throw new EventError('GITHUB_EVENT_PATH is not set; helmfile-hydrate must run inside a GitHub Actions job');
  let payload: unknown;
  try {
    payload = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new EventError(`cannot read the event payload ${path}: ${(error as Error).message}`);
  }
  return parsePullRequestEvent(eventName, payload, env.GITHUB_REPOSITORY ?? '');
}

/** Extracts the pull request from an event payload (pure; see readPullRequestEvent). */
export function parsePullRequestEvent(eventName: string, payload: unknown, fallbackRepository = ''): PullRequestContext {
  const pr = field(payload, 'pull_request');
  if (!pr || typeof pr !== 'object') throw new EventError(`the ${eventName} event payload has no pull_request object`);
  const string = (value: unknown, what: string): string => {
    if (typeof value !== 'string' || value === '') throw new EventError(`the ${eventName} event payload has no ${what}`);
    return value;
  };
  const number = field(pr, 'number') ?? field(payload, 'number');
  if (typeof number !== 'number' || !Number.isInteger(number) || number <= 0)
    throw new EventError(`the ${eventName} event payload has no pull request number`);
  const base = field(pr, 'base');
  const head = field(pr, 'head');
  const repository =
    (field(field(base, 'repo'), 'full_name') as string | undefined) ??
    (field(field(payload, 'repository'), 'full_name') as string | undefined) ??
    fallbackRepository;
  const [owner, repo] = string(repository, 'base repository (pull_request.base.repo.full_name)').split('/');
  if (!owner || !repo) throw new EventError(`the base repository "${repository}" is not owner/name`);
  const headRepoValue = field(field(head, 'repo'), 'full_name');
  const headRepository = typeof headRepoValue === 'string' ? headRepoValue : '';
  const sha = (value: unknown, what: string): string => {
    const text = string(value, what);
    if (!/^[0-9a-f]{40}([0-9a-f]{24})?$/.test(text)) throw new EventError(`${what} "${text}" is not a commit SHA`);
    return text;
  };
  const labels = field(pr, 'labels');
  return {
    eventName,
    number,
    repository,
    owner,
    repo,
    baseSha: sha(field(base, 'sha'), 'pull_request.base.sha'),
    baseRef: string(field(base, 'ref'), 'pull_request.base.ref'),
    headSha: sha(field(head, 'sha'), 'pull_request.head.sha'),
    headRef: string(field(head, 'ref'), 'pull_request.head.ref'),
    headRepository,
    // A deleted fork has no head repository; it is certainly not this repository.
    isFork: headRepository.toLowerCase() !== repository.toLowerCase(),
    author: (field(field(pr, 'user'), 'login') as string | undefined) ?? '',
    sender: (field(field(payload, 'sender'), 'login') as string | undefined) ?? '',
    labels: Array.isArray(labels)
      ? labels.map((label) => field(label, 'name')).filter((name): name is string => typeof name === 'string')
      : [],
  };
}

function field(value: unknown, name: string): unknown {
  return value && typeof value === 'object' ? (value as Record<string, unknown>)[name] : undefined;
}
