/** An error that knows what the user should do about it; the report shows both. */
export class ActionableError extends Error {
  constructor(
    message: string,
    readonly fix: string,
  ) {
    super(message);
    this.name = 'ActionableError';
  }
}

/** The phase that stopped a run, and the error it stopped on. */
export interface RunFailure {
  /** The phase that failed (`commit`, `render head (abc123)`...). */
  phase: string;
  error: unknown;
}
