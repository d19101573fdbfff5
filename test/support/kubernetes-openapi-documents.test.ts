import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  committedDigests,
  DOCUMENTS_DIRECTORY_ENV,
  OPENAPI_SPEC_PATH,
  prepareKubernetesOpenApi,
  UPSTREAM_BASE_URL_ENV,
  type PinnedDocuments,
} from './kubernetes-openapi-documents.js';
import { KUBERNETES_OPENAPI_DOCUMENTS, startKubernetesOpenApiServer, type KubernetesOpenApiServer } from './kubernetes-openapi-server.js';

const PINNED = committedDigests();
const GOOD = 'apis__authentication.k8s.io__v1_openapi.json';
const BAD = 'apis__authorization.k8s.io__v1_openapi.json';
/** Two small documents of 1.35: enough to see one fail while the other is kept. */
const TWO_DOCUMENTS: PinnedDocuments = {
  '1.35': { version: PINNED['1.35']!.version, files: { [GOOD]: PINNED['1.35']!.files[GOOD]!, [BAD]: PINNED['1.35']!.files[BAD]! } },
};

/** The two small documents of both versions: the download path without moving 22 MB on every run. */
const SMALL_DOCUMENTS: PinnedDocuments = Object.fromEntries(
  Object.entries(PINNED).map(([minor, { version, files }]) => [minor, { version, files: { [GOOD]: files[GOOD]!, [BAD]: files[BAD]! } }]),
);

let scratch: string;
/** A project root with no ../shared beside it, as in a clone anywhere else. */
let project: string;
let cacheRoot: string;
const servers: KubernetesOpenApiServer[] = [];

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'hydrate-openapi-documents-'));
  project = join(scratch, 'project');
  await mkdir(project);
});
afterAll(() => rm(scratch, { recursive: true, force: true }));
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
  await rm(join(scratch, 'cache'), { recursive: true, force: true });
});

/** Upstream stood in for by a local server over the documents this run uses, tag by tag as upstream lays them out. */
async function upstream(options: Parameters<typeof startKubernetesOpenApiServer>[0] = {}): Promise<KubernetesOpenApiServer> {
  const server = await startKubernetesOpenApiServer(options);
  servers.push(server);
  cacheRoot = join(scratch, 'cache');
  return server;
}

function prepare(server: KubernetesOpenApiServer, pinned?: PinnedDocuments) {
  return prepareKubernetesOpenApi({ env: { [UPSTREAM_BASE_URL_ENV]: server.baseUrl }, projectRoot: project, cacheRoot, pinned });
}

async function filesIn(directory: string): Promise<string[]> {
  const entries = await readdir(directory, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name).slice(directory.length + 1));
}

describe('the Kubernetes OpenAPI documents of the tests', () => {
  it('without ../shared, downloads every pinned document once, verified, in the upstream layout', async () => {
    const server = await upstream();
    const directory = await prepare(server, SMALL_DOCUMENTS);
    const expected = Object.entries(SMALL_DOCUMENTS).flatMap(([minor, { files }]) =>
      Object.keys(files).map((file) => join(minor, OPENAPI_SPEC_PATH, file)),
    );
    expect((await filesIn(directory)).sort()).toEqual(expected.sort());
    expect(server.requests).toHaveLength(expected.length);
    const sample = join('1.34', OPENAPI_SPEC_PATH, GOOD);
    expect(await readFile(join(directory, sample))).toEqual(await readFile(join(KUBERNETES_OPENAPI_DOCUMENTS, sample)));

    // A second run (or another worker) finds them all and asks upstream for nothing.
    expect(await prepare(server, SMALL_DOCUMENTS)).toBe(directory);
    expect(server.requests).toHaveLength(expected.length);
  });

  it('has the digests of the documents this run serves (the same upstream files, whichever the source)', async () => {
    for (const [minor, { files }] of Object.entries(PINNED)) {
      const directory = join(KUBERNETES_OPENAPI_DOCUMENTS, minor, OPENAPI_SPEC_PATH);
      expect((await readdir(directory)).filter((file) => file.endsWith('.json')).sort(), minor).toEqual(Object.keys(files).sort());
      for (const [file, sha256] of Object.entries(files)) {
        expect(
          createHash('sha256')
            .update(await readFile(join(directory, file)))
            .digest('hex'),
          `${minor} ${file}`,
        ).toBe(sha256);
      }
    }
  });

  it('refuses a document whose digest differs, naming the file, the URL and both digests; only verified files are cached', async () => {
    const server = await upstream();
    const tampered = { ...TWO_DOCUMENTS['1.35']!.files, [BAD]: '0'.repeat(64) };
    const error = await prepare(server, { '1.35': { ...TWO_DOCUMENTS['1.35']!, files: tampered } }).catch((caught: Error) => caught);
    const url = `${server.url}/1.35/api/openapi-spec/v3/${BAD}`;
    expect((error as Error).message).toBe(
      `the Kubernetes 1.35.0 OpenAPI document ${BAD} (${url}, expected sha256 ${'0'.repeat(64)}) has sha256 ${PINNED['1.35']!.files[BAD]}: ` +
        'the download is not the pinned upstream file (digests in test/support/kubernetes-openapi-digests.json). ' +
        `Nothing unverified was cached. Put the documents in ${join(scratch, 'shared', 'kubernetes-openapi')} or set ${DOCUMENTS_DIRECTORY_ENV} to a directory holding them, or set ${UPSTREAM_BASE_URL_ENV} to a mirror of https://raw.githubusercontent.com/kubernetes/kubernetes/{ref}/api/openapi-spec/v3/.`,
    );
    const cached = await filesIn(cacheRoot);
    expect(cached).toHaveLength(1);
    expect(cached[0]).toMatch(new RegExp(`/1\\.35/api/openapi-spec/v3/${GOOD.replaceAll('.', '\\.')}$`));
  });

  it('leaves nothing behind when a download breaks off midway, and takes it again on the next run', async () => {
    let broken = true;
    const server = await upstream({ fail: (path) => (broken && path.endsWith(BAD) ? 'abort' : undefined) });
    await expect(prepare(server, TWO_DOCUMENTS)).rejects.toThrow(
      new RegExp(
        `could not download the Kubernetes 1\\.35\\.0 OpenAPI document ${BAD} \\(${server.url}/1\\.35/\\S+${BAD}, expected sha256 [0-9a-f]{64}\\): the download broke off`,
      ),
    );
    expect((await filesIn(cacheRoot)).filter((file) => file.endsWith(BAD) || file.endsWith('.tmp'))).toEqual([]);

    broken = false;
    const directory = await prepare(server, TWO_DOCUMENTS);
    expect((await filesIn(directory)).sort()).toEqual([join('1.35', OPENAPI_SPEC_PATH, GOOD), join('1.35', OPENAPI_SPEC_PATH, BAD)].sort());
  });

  it('names every document upstream does not have', async () => {
    const server = await upstream({ fail: () => 404 });
    await expect(prepare(server, TWO_DOCUMENTS)).rejects.toThrow(
      /^2 Kubernetes OpenAPI documents could not be obtained:\n- could not download .*authentication.* HTTP 404, the location does not have it\.\n- could not download .*authorization.* HTTP 404/,
    );
  });

  it('uses ../shared/kubernetes-openapi beside the project, or the directory the environment names, as they are', async () => {
    const shared = join(scratch, 'shared', 'kubernetes-openapi');
    await mkdir(join(shared, '1.35', OPENAPI_SPEC_PATH), { recursive: true });
    try {
      expect(await prepareKubernetesOpenApi({ env: {}, projectRoot: project, pinned: TWO_DOCUMENTS })).toBe(shared);
    } finally {
      await rm(join(scratch, 'shared'), { recursive: true });
    }
    expect(await prepareKubernetesOpenApi({ env: { [DOCUMENTS_DIRECTORY_ENV]: KUBERNETES_OPENAPI_DOCUMENTS }, projectRoot: project })).toBe(
      KUBERNETES_OPENAPI_DOCUMENTS,
    );
    await expect(prepareKubernetesOpenApi({ env: { [DOCUMENTS_DIRECTORY_ENV]: project }, projectRoot: project })).rejects.toThrow(
      `${DOCUMENTS_DIRECTORY_ENV}=${project} has no 1.34/api/openapi-spec/v3 or 1.35/api/openapi-spec/v3: point it at a directory holding <minor>/api/openapi-spec/v3/ for 1.34 and 1.35, or unset it to download the documents`,
    );
  });
});
