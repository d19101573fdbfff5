import { describe, expect, it } from 'vitest';
import {
  describeResolvedImage,
  imageCheckCoverage,
  imageRisks,
  imagesChangedByHead,
  imagesOfEnvironments,
  resolvedImages,
  type ImageLookupResult,
} from '../../src/images/image-check.js';
import { checkDockerConfig, dockerConfigSecrets } from '../../src/images/registry-credentials.js';
import { classifyCraneError } from '../../src/tools/crane.js';
import { diffManifests } from '../../src/diff/diff-manifests.js';
import { buildJsonReport } from '../../src/report/json.js';
import { buildCommentBody } from '../../src/report/markdown.js';
import { buildTextReport } from '../../src/report/text.js';
import { environment, release } from '../diff/manifest-builder.js';

const REGISTRY = '127.0.0.1:5000';
const DIGEST = `sha256:${'ab'.repeat(32)}`;

function deployment(name: string, images: Record<string, string>, initImages: Record<string, string> = {}) {
  const containers = (list: Record<string, string>) => Object.entries(list).map(([container, image]) => ({ name: container, image }));
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'apps' },
    spec: { template: { spec: { containers: containers(images), initContainers: containers(initImages) } } },
  };
}

const side = (name: string, objects: Record<string, unknown>[]) => [environment(name, [{ release: release('web'), objects }])];

describe('imagesChangedByHead', () => {
  it('lists changed and new images with the one they replace; unchanged images are not looked up', () => {
    const base = side('production', [deployment('web', { web: `${REGISTRY}/app:1`, sidecar: `${REGISTRY}/proxy:1` })]);
    const head = side('production', [
      deployment('web', { web: `${REGISTRY}/app:3`, sidecar: `${REGISTRY}/proxy:1` }, { migrate: `${REGISTRY}/app:3` }),
      deployment('worker', { worker: `${REGISTRY}/worker:1` }),
    ]);
    const uses = imagesChangedByHead({ base, head });
    expect(uses.map((use) => [use.resource.name, use.container, use.previous ?? null, use.image])).toEqual([
      ['web', 'web', `${REGISTRY}/app:1`, `${REGISTRY}/app:3`],
      ['web', 'init:migrate', null, `${REGISTRY}/app:3`],
      ['worker', 'worker', null, `${REGISTRY}/worker:1`],
    ]);
    expect(uses[0]).toMatchObject({
      path: 'production/web/deployment.apps_apps_web.yaml',
      jsonPath: '.spec.template.spec.containers[0].image',
    });
    expect(imagesOfEnvironments(head)).toHaveLength(4);
  });
});

describe('imageRisks', () => {
  const base = side('production', [deployment('web', { web: `${REGISTRY}/app:1` })]);
  const headOf = (image: string) => side('production', [deployment('web', { web: image })]);
  const arm64 = () => ['arm64'];
  const amd64Only: ImageLookupResult = {
    status: 'found',
    kind: 'image',
    digest: DIGEST,
    platforms: [{ os: 'linux', architecture: 'amd64' }],
  };

  it('a missing tag is a high risk image-missing naming old and new image', () => {
    const uses = imagesChangedByHead({ base, head: headOf(`${REGISTRY}/app:3`) });
    const results = new Map<string, ImageLookupResult>([
      [`${REGISTRY}/app:3`, { status: 'missing', reason: 'MANIFEST_UNKNOWN: manifest unknown' }],
    ]);
    const [risk, ...rest] = imageRisks(uses, results, () => ['amd64']);
    expect(rest).toEqual([]);
    expect(risk).toMatchObject({
      rule: 'image-missing',
      severity: 'high',
      field: 'container web',
      change: { from: `${REGISTRY}/app:1`, to: `${REGISTRY}/app:3` },
      path: 'production/web/deployment.apps_apps_web.yaml',
    });
    expect(risk!.message).toContain('MANIFEST_UNKNOWN');
  });

  it("an image without the nodes' architecture is a high risk image-platform-missing; amd64 nodes are fine with it", () => {
    const uses = imagesChangedByHead({ base, head: headOf(`${REGISTRY}/app:amd64`) });
    const results = new Map([[`${REGISTRY}/app:amd64`, amd64Only]]);
    expect(imageRisks(uses, results, () => ['amd64'])).toEqual([]);
    const [risk] = imageRisks(uses, results, arm64);
    expect(risk).toMatchObject({ rule: 'image-platform-missing', severity: 'high' });
    expect(risk!.message).toContain('no linux/arm64 variant (it has linux/amd64)');
    expect(risk!.message).toContain('exec format error');
  });

  it('a multi-arch index and an image not checked give nothing', () => {
    const uses = imagesChangedByHead({ base, head: headOf(`${REGISTRY}/app:2`) });
    const multiArch: ImageLookupResult = {
      status: 'found',
      kind: 'index',
      digest: DIGEST,
      platforms: [
        { os: 'linux', architecture: 'amd64' },
        { os: 'linux', architecture: 'arm64' },
      ],
    };
    expect(imageRisks(uses, new Map([[`${REGISTRY}/app:2`, multiArch]]), () => ['amd64', 'arm64'])).toEqual([]);
    const notChecked: ImageLookupResult = { status: 'not-checked', registry: REGISTRY, reason: 'not reachable: connection refused' };
    expect(imageRisks(uses, new Map([[`${REGISTRY}/app:2`, notChecked]]), arm64)).toEqual([]);
  });
});

describe('the report lines', () => {
  it('lists a registry that cannot be asked once, with the reason and its images', () => {
    const head = side('production', [deployment('web', { web: `${REGISTRY}/app:3`, proxy: `${REGISTRY}/proxy:2` })]);
    const uses = imagesChangedByHead({ base: [], head });
    const reason = 'not reachable: connection refused';
    const results = new Map<string, ImageLookupResult>([
      [`${REGISTRY}/app:3`, { status: 'not-checked', registry: REGISTRY, reason }],
      [`${REGISTRY}/proxy:2`, { status: 'not-checked', registry: REGISTRY, reason }],
    ]);
    expect(imageCheckCoverage(uses, results)).toEqual({
      check: 'images',
      summary: '0 of 2 images the change deploys resolved against their registries',
      notExercised: [{ path: REGISTRY, reason: `${reason}; not checked: ${REGISTRY}/app:3, ${REGISTRY}/proxy:2` }],
      notExercisedLabel: 'not checked',
    });
  });

  it('shows digest and architectures beside an image', () => {
    const results = new Map<string, ImageLookupResult>([
      ['b:1', { status: 'found', kind: 'index', digest: DIGEST, platforms: [{ os: 'linux', architecture: 'arm64', variant: 'v8' }] }],
      ['a:1', { status: 'missing', reason: 'x' }],
    ]);
    const [resolved, ...rest] = resolvedImages(results);
    expect(rest).toEqual([]);
    expect(describeResolvedImage(resolved!)).toBe('sha256:abababababab…, arm64/v8');
  });
});

describe('crane and credentials', () => {
  it("classifies crane's errors by what the registry answered", () => {
    const error = (message: string) => classifyCraneError(`2026/01/01 HEAD request failed, falling back on GET: x\nError: ${message}`).kind;
    expect(error('GET http://127.0.0.1:5000/v2/app/manifests/3: MANIFEST_UNKNOWN: Unknown manifest')).toBe('missing');
    expect(error('GET https://ghcr.io/v2/x/manifests/1: NAME_UNKNOWN: repository name not known to registry')).toBe('missing');
    expect(error('GET https://index.docker.io/v2/library/x/manifests/1: TOOMANYREQUESTS: You have reached your pull rate limit')).toBe(
      'rate-limited',
    );
    expect(error('GET https://auth.docker.io/token?scope=repository%3Ax%3Apull: UNAUTHORIZED: authentication required')).toBe('denied');
    expect(error('Get "https://127.0.0.1:1/v2/": dial tcp 127.0.0.1:1: connect: connection refused')).toBe('unreachable');
    // A 404 on /v2/ says the host is no registry, not that the image is missing.
    expect(error('GET https://example.com/v2/: unexpected status code 404 Not Found')).toBe('other');
  });

  it('checks a docker config without quoting it, and names every credential in it for masking', () => {
    const auth = Buffer.from('robot:s3cret-password').toString('base64');
    const config = JSON.stringify({ auths: { 'registry.example': { auth }, 'ghcr.io': { identitytoken: 'tok-123' } } });
    expect(() => checkDockerConfig(config)).not.toThrow();
    expect(() => checkDockerConfig('{"s3cret": 1}')).toThrow(/value not shown/);
    expect(() => checkDockerConfig('s3cret')).not.toThrow(/s3cret/);
    expect(dockerConfigSecrets(config).sort()).toEqual([auth, 'robot:s3cret-password', 's3cret-password', 'tok-123'].sort());
  });
});

describe('the comment, text and JSON reports', () => {
  it('show each changed image as old → new (digest, architectures)', () => {
    const base = side('production', [deployment('web', { web: `${REGISTRY}/app:1` })]);
    const head = side('production', [deployment('web', { web: `${REGISTRY}/app:2` })]);
    const resolved = [{ image: `${REGISTRY}/app:2`, digest: DIGEST, platforms: ['linux/amd64', 'linux/arm64'] }];
    const diff = diffManifests(base, head);
    expect(buildCommentBody({ diff, resolvedImages: resolved }).body).toContain(
      `| \`${REGISTRY}/app:1\` → \`${REGISTRY}/app:2\` (sha256:abababababab…, amd64, arm64) | production | web: \`Deployment.apps apps/web\` (web) |`,
    );
    expect(buildTextReport({ diff, resolvedImages: resolved })).toContain(
      `${REGISTRY}/app:1 -> ${REGISTRY}/app:2 [sha256:abababababab…, amd64, arm64] (production)`,
    );
    expect(JSON.parse(buildJsonReport({ diff, resolvedImages: resolved })).resolvedImages).toEqual(resolved);
  });
});
