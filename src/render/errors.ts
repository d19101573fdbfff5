import type { Side } from '../side.js';

/** Where in the pipeline something went wrong; every part that is known is named in the message. */
export interface RenderErrorContext {
  /** The commit that failed, when two are rendered (a pull request's base and head); never part of the message. */
  side?: Side;
  environment?: string;
  release?: string;
  chart?: string;
  file?: string;
  resource?: string;
}

/**
 * A render failure as plain data: what reports, the commit guard and the job's outcome read.
 * A RenderError is one; tests and pure code can build one without an Error.
 */
export interface RenderFailure {
  context: RenderErrorContext;
  /** The context, then what went wrong; a render error that knows what to do about it says so here. */
  message: string;
}

/**
 * The one render error: one environment, release, file or resource that failed. A render that
 * fails in several places throws an AggregateError of them (see renderErrorsOf).
 */
export class RenderError extends Error implements RenderFailure {
  constructor(
    readonly context: RenderErrorContext,
    /** What went wrong, without the context. */
    readonly reason: string,
  ) {
    super(`${describeContext(context)}: ${reason}`);
    this.name = 'RenderError';
  }
}

export function describeContext(context: RenderErrorContext): string {
  const parts: string[] = [];
  if (context.environment) parts.push(`environment "${context.environment}"`);
  if (context.release) parts.push(`release "${context.release}"`);
  if (context.chart) parts.push(`chart "${context.chart}"`);
  if (context.resource) parts.push(`resource ${context.resource}`);
  if (context.file) parts.push(`file ${context.file}`);
  return parts.join(', ') || 'render';
}

/** Several render errors as one thrown error; its message is each error's, in order. */
export function renderErrors(errors: readonly RenderError[], message = errors.map((error) => error.message).join('\n\n')): AggregateError {
  return new AggregateError(errors, message);
}

/** The errors of a render that failed (an AggregateError of renderErrors), or undefined for any other error. */
export function renderErrorsOf(error: unknown): RenderError[] | undefined {
  if (error instanceof AggregateError && error.errors.length > 0 && error.errors.every((inner) => inner instanceof RenderError))
    return [...error.errors];
  return undefined;
}

/** The failures, each tagged with the commit it failed on: the one place a failure gets its side. */
export function withSide(side: Side, failures: readonly RenderError[]): RenderError[] {
  return failures.map((failure) => new RenderError({ ...failure.context, side }, failure.reason));
}
