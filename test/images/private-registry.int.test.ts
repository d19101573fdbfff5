import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { checkImages } from '../../src/images/image-check-stage.js';
import type { ImageUse } from '../../src/images/image-check.js';
import { OciRegistry } from '../support/oci-registry.js';
import { startLocalServer, type LocalServer } from '../support/static-server.js';

const USER = 'robot';
const PASSWORD = 'private-registry-password-0000';

/**
 * A private registry: the real registry of test/support/oci-registry.ts behind an HTTP server on
 * 127.0.0.1 that asks for Basic credentials (`WWW-Authenticate: Basic`, as a registry behind a
 * proxy does) and passes authorized requests through.
 */
describe('a private registry', () => {
  let registry: OciRegistry;
  let gate: LocalServer;
  let image: string;
  const use = (reference: string): ImageUse => ({
    environment: 'production',
    release: 'web',
    resource: { group: 'apps', kind: 'Deployment', namespace: 'apps', name: 'web' },
    path: 'production/web/deployment.apps_apps_web.yaml',
    container: 'web',
    jsonPath: '.spec.template.spec.containers[0].image',
    apiVersion: 'apps/v1',
    image: reference,
  });

  beforeAll(async () => {
    registry = await OciRegistry.start();
    await registry.pushImage('team/app', '1', 'linux/arm64');
    const expected = `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}`;
    gate = await startLocalServer((request, response) => {
      if (request.headers.authorization !== expected) {
        response.writeHead(401, { 'www-authenticate': 'Basic realm="private"', 'content-type': 'application/json' });
        response.end('{"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}');
        return;
      }
      const upstream = httpRequest(
        {
          host: '127.0.0.1',
          port: Number(registry.host.split(':')[1]),
          path: request.url,
          method: request.method,
          headers: request.headers,
        },
        (answer) => {
          response.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(response);
        },
      );
      request.pipe(upstream);
    });
    image = `${new URL(gate.url).host}/team/app:1`;
  });
  afterAll(async () => {
    await gate?.close();
    await registry?.stop();
  });

  it('is not checked without credentials, and says so without blocking', async () => {
    const checked = await checkImages([use(image)], { crane: () => Promise.resolve(inject('cranePath')) }, () => {});
    expect(checked.risks).toEqual([]);
    expect(checked.coverage.notExercised).toHaveLength(1);
    expect(checked.coverage.notExercised[0]!.reason).toMatch(/^access denied \(set registry credentials for a private registry\): /);
  });

  it('is resolved with the docker config JSON of registry-auth, which no message repeats', async () => {
    const auth = Buffer.from(`${USER}:${PASSWORD}`).toString('base64');
    const registryAuth = JSON.stringify({ auths: { [new URL(gate.url).host]: { auth } } });
    const messages: string[] = [];
    const checked = await checkImages(
      [use(image)],
      { crane: () => Promise.resolve(inject('cranePath')), registryAuth, architectures: () => ['amd64'] },
      (message) => messages.push(message),
    );
    expect(checked.resolved.map((resolved) => [resolved.image, resolved.platforms])).toEqual([[image, ['linux/arm64']]]);
    expect(checked.risks.map((risk) => risk.rule)).toEqual(['image-platform-missing']);
    expect(JSON.stringify([checked, messages])).not.toMatch(new RegExp(`${PASSWORD}|${auth}`));
  });
});
