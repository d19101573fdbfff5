import { access, chmod, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { KubeClient } from '../../src/apiserver/kube-client.js';
import { LocalApiServer } from '../../src/apiserver/local-api-server.js';
import { resolveApiServer } from '../../src/tools/api-server-resolve.js';

const binaries = () => resolveApiServer({ kubernetesVersion: '1.35', explicitDirectory: inject('apiServerDirectory') });

function listening(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname);
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });
}

describe('a local API server for one run', () => {
  it('listens on 127.0.0.1 only with a token of its own, refuses anyone else, and leaves nothing behind', async () => {
    const server = await LocalApiServer.start(await binaries());
    expect(new URL(server.client.baseUrl).hostname).toBe('127.0.0.1');
    expect((await server.client.request('GET', '/version')).json).toMatchObject({ gitVersion: 'v1.35.0' });
    const stranger = await fetch(`${server.client.baseUrl}/api`).catch((error: Error) => error);
    // Its certificate is its own (no public authority signs it), and without the token it answers 401.
    expect(stranger).toBeInstanceOf(Error);
    const certificate = await readFile(join(server.directory, 'certs', 'apiserver.crt'), 'utf8');
    const impostor = new KubeClient(server.client.baseUrl, 'a-token-this-run-never-issued', certificate);
    try {
      expect((await impostor.request('GET', '/api')).status).toBe(401);
    } finally {
      impostor.close();
    }
    // Every method carries its body: a DELETE's options reach the server and it answers (Node ends DELETE streams at once unless told).
    const configMap = '/api/v1/namespaces/default/configmaps/doomed';
    const json = { 'content-type': 'application/json' };
    const created = await server.client.request('POST', '/api/v1/namespaces/default/configmaps', '{"metadata":{"name":"doomed"}}', json);
    expect(created.status).toBe(201);
    const background = JSON.stringify({ propagationPolicy: 'Background' });
    expect((await server.client.request('DELETE', configMap, background, json)).status).toBe(200);
    expect((await server.client.request('DELETE', configMap, background, json)).status).toBe(404);
    const invalidOptions = await server.client.request('DELETE', configMap, JSON.stringify({ propagationPolicy: 'Sometimes' }), json);
    expect(invalidOptions.text).toContain('Sometimes');
    await server.stop();
    expect(await listening(server.client.baseUrl)).toBe(false);
    await expect(access(server.directory)).rejects.toThrow();
    await server.stop();
  });

  it('names the program that died while starting, with its output, and removes what it made', async () => {
    const fake = await mkdtemp(join(tmpdir(), 'hydrate-fake-apiserver-'));
    try {
      await writeFile(join(fake, 'etcd'), '#!/bin/sh\necho "etcd: cannot open data directory" >&2\nexit 3\n');
      await writeFile(join(fake, 'kube-apiserver'), '#!/bin/sh\nexec sleep 30\n');
      await chmod(join(fake, 'etcd'), 0o755);
      await chmod(join(fake, 'kube-apiserver'), 0o755);
      const before = (await readdir(tmpdir())).filter((name) => name.startsWith('helmfile-hydrate-apiserver-'));
      const started = LocalApiServer.start({
        version: '1.35.0',
        source: 'explicit',
        paths: { etcd: join(fake, 'etcd'), 'kube-apiserver': join(fake, 'kube-apiserver') },
      });
      await expect(started).rejects.toThrow(/etcd exited with 3 while starting:\netcd: cannot open data directory/);
      const after = (await readdir(tmpdir())).filter((name) => name.startsWith('helmfile-hydrate-apiserver-'));
      expect(after.filter((name) => !before.includes(name))).toEqual([]);
    } finally {
      await rm(fake, { recursive: true, force: true });
    }
  });
});
