import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { IMAGE_LOOKUP_CONCURRENCY, lookUpImages } from '../../src/images/registry-lookup.js';
import { startLocalServer, type LocalServer } from '../support/static-server.js';

/**
 * A registry that answers every request with 429, as Docker Hub does past its anonymous pull
 * limit: a real HTTP server on 127.0.0.1 and the real crane.
 */
describe('a rate-limited registry', () => {
  let server: LocalServer;
  beforeAll(async () => {
    server = await startLocalServer((_request, response) => {
      response.writeHead(429, { 'content-type': 'application/json' });
      response.end('{"errors":[{"code":"TOOMANYREQUESTS","message":"You have reached your pull rate limit."}]}');
    });
  });
  afterAll(() => server.close());

  it('is not checked, with one reason for all its images, and asked a bounded number of times', async () => {
    const host = new URL(server.url).host;
    const images = ['a:1', 'b:1', 'c:1', 'd:1', 'e:1', 'f:1', 'g:1', 'h:1', 'i:1', 'j:1'].map((name) => `${host}/${name}`);
    const started = Date.now();
    const results = await lookUpImages(images, { binary: inject('cranePath') });
    const elapsed = Date.now() - started;
    const reasons = new Set([...results.values()].map((result) => (result.status === 'not-checked' ? result.reason : result.status)));
    expect(reasons.size).toBe(1);
    expect([...reasons][0]).toMatch(/^rate limited \(429\): /);
    // Each lookup is one crane call or two (HEAD, then crane's GET fallback), each retried by crane's
    // own bounded backoff (3 attempts: 1 s, 3 s); lookups queued behind the first wave are not made.
    const requestsPerLookup = 2 * 3;
    expect(server.requests.length).toBeLessThanOrEqual(IMAGE_LOOKUP_CONCURRENCY * requestsPerLookup);
    process.stderr.write(`[images] 10 images on a 429 registry: ${server.requests.length} requests, ${elapsed} ms\n`);
  }, 60_000);
});
