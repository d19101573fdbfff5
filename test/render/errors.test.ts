import { describe, expect, it } from 'vitest';
import { RenderError, renderErrors, renderErrorsOf, withSide } from '../../src/render/errors.js';

describe('RenderError', () => {
  it('names every known part of its context in the message, never the side', () => {
    const error = new RenderError({ side: 'head', environment: 'staging', release: 'web', file: 'templates/a.yaml' }, 'bad YAML');
    expect(error.message).toBe('environment "staging", release "web", file templates/a.yaml: bad YAML');
    expect(error.reason).toBe('bad YAML');
  });

  it('tags failures with their side, keeping message, reason and context', () => {
    const [tagged] = withSide('base', [new RenderError({ environment: 'staging' }, 'chart not found; add the repository')]);
    expect(tagged).toBeInstanceOf(RenderError);
    expect(tagged!.context).toEqual({ side: 'base', environment: 'staging' });
    expect(tagged!.message).toBe('environment "staging": chart not found; add the repository');
    expect(tagged!.reason).toBe('chart not found; add the repository');
  });

  it('throws several as one error whose message is each of theirs, and reads them back', () => {
    const errors = [new RenderError({ environment: 'a' }, 'one'), new RenderError({ environment: 'b' }, 'two')];
    const thrown = renderErrors(errors);
    expect(thrown.message).toBe('environment "a": one\n\nenvironment "b": two');
    expect(renderErrorsOf(thrown)).toEqual(errors);
    expect(renderErrorsOf(errors[0])).toBeUndefined();
    expect(renderErrorsOf(new AggregateError([new Error('other')]))).toBeUndefined();
    expect(renderErrorsOf(new Error('other'))).toBeUndefined();
  });
});
