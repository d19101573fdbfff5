/** Where in the pipeline something went wrong; every part that is known is named in the message. */
export interface RenderErrorContext {
  environment?: string;
  release?: string;
  chart?: string;
  file?: string;
  resource?: string;
}

export class RenderError extends Error {
  readonly context: RenderErrorContext;

  constructor(context: RenderErrorContext, message: string) {
    super(`${describeContext(context)}: ${message}`);
    this.name = 'RenderError';
    this.context = context;
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
