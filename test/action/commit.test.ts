import { describe, expect, it } from 'vitest';
import { commitSkipReason } from '../../src/action/commit.js';

describe('commitSkipReason', () => {
  it('commits unless the commit input is false or the token is read-only', () => {
    expect(commitSkipReason(true, undefined)).toBeUndefined();
    expect(commitSkipReason(false, undefined)).toBe('the commit input is false');
    expect(commitSkipReason(false, 'it comes from a fork')).toBe('the commit input is false');
    expect(commitSkipReason(true, 'it comes from a fork')).toBe("it comes from a fork, so this workflow's token cannot push");
  });
});
