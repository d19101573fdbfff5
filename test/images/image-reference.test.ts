import { describe, expect, it } from 'vitest';
import { canonicalImage, parseImageReference, registryTransport } from '../../src/images/image-reference.js';

describe('parseImageReference', () => {
  it('reads references as the container runtime normalizes them', () => {
    expect(parseImageReference('nginx')).toMatchObject({ registry: 'docker.io', repository: 'library/nginx', tag: 'latest' });
    expect(parseImageReference('grafana/grafana:12.3.0')).toMatchObject({
      registry: 'docker.io',
      repository: 'grafana/grafana',
      tag: '12.3.0',
    });
    expect(parseImageReference('index.docker.io/library/redis:7')).toMatchObject({ registry: 'docker.io', repository: 'library/redis' });
    expect(parseImageReference('quay.io/cilium/cilium:v1.19.1')).toMatchObject({
      registry: 'quay.io',
      repository: 'cilium/cilium',
      tag: 'v1.19.1',
    });
    expect(parseImageReference('127.0.0.1:5000/app:2')).toMatchObject({ registry: '127.0.0.1:5000', repository: 'app', tag: '2' });
    expect(parseImageReference('localhost/app')).toMatchObject({ registry: 'localhost', repository: 'app', tag: 'latest' });
  });

  it('pulls the digest when both a tag and a digest are written', () => {
    const digest = `sha256:${'a'.repeat(64)}`;
    const reference = parseImageReference(`registry.k8s.io/pause:3.10@${digest}`)!;
    expect(reference).toMatchObject({ registry: 'registry.k8s.io', repository: 'pause', digest });
    expect(reference.tag).toBeUndefined();
    expect(canonicalImage(reference)).toBe(`registry.k8s.io/pause@${digest}`);
  });

  it('refuses what the runtime refuses', () => {
    expect(parseImageReference('Upper/case:1')).toBeUndefined();
    expect(parseImageReference('app:{{ .Values.tag }}')).toBeUndefined();
    expect(parseImageReference('app@sha256:short')).toBeUndefined();
    expect(parseImageReference('')).toBeUndefined();
  });
});

describe('registryTransport', () => {
  it('speaks plain HTTP to loopback registries only', () => {
    for (const registry of ['127.0.0.1:5000', '127.1.2.3', 'localhost', 'localhost:5000', 'registry.localhost:80', '[::1]:5000'])
      expect(registryTransport(registry), registry).toBe('plain-http');
    for (const registry of ['docker.io', 'ghcr.io', 'registry.example:5000', '8.8.8.8', '172.32.0.1'])
      expect(registryTransport(registry), registry).toBe('https');
  });

  it('leaves private addresses, which crane would also try over plain HTTP, out', () => {
    for (const registry of ['10.0.0.5:5000', '172.16.3.4', '192.168.1.10:443'])
      expect(registryTransport(registry), registry).toBe('private-address');
  });
});
