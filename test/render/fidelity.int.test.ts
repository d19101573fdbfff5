import { mkdir, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { stringify } from 'yaml';
import { ForeignFileError } from '../../src/render/manifest-tree.js';
import { hydrate } from '../../src/render/render.js';
import { OWNERSHIP_FILE } from '../../src/render/ownership.js';
import { parseKubernetesDocument, kubernetesValue } from '../../src/render/kubernetes-yaml.js';
import { GitopsRepo } from '../support/gitops-repo.js';
import { fidelityProblems } from '../support/helm-fidelity.js';
import { testToolchain } from '../support/toolchain.js';
import { treeDigest } from '../support/tree-digest.js';

type Toolchain = Awaited<ReturnType<typeof testToolchain>>;

describe("render commits helm's own documents", () => {
  let toolchain: Toolchain;
  let repo: GitopsRepo;
  const render = () => hydrate({ helmfile: repo.helmfile, outputDir: repo.manifests, cwd: repo.dir, repositoryRoot: repo.dir }, toolchain);

  beforeAll(async () => {
    toolchain = await testToolchain();
    repo = await GitopsRepo.create({
      repositoryUrl: inject('chartRepositoryUrl'),
      environments: ['staging'],
      releases: [{ name: 'fid', namespace: 'apps', chart: 'fidelity', version: '1.0.0' }],
    });
    await render();
  });
  afterAll(async () => {
    await repo?.remove();
    await toolchain?.remove();
  });

  it('commits every document helm writes, whatever the file name, Lists unwrapped (nested too)', async () => {
    const files = (await readdir(join(repo.manifests, 'staging', 'fid'))).sort();
    expect(files.filter((file) => !file.includes('~'))).toEqual([
      'configmap_apps_fid-json.yaml',
      'configmap_apps_fid-listed.yaml',
      'configmap_apps_fid-no-extension.yaml',
      'configmap_apps_fid-tpl.yaml',
      'configmap_apps_fid-txt.yaml',
      'deployment.apps_apps_fid.yaml',
      'serviceaccount_apps_fid-nested.yaml',
    ]);
    expect(await fidelityProblems(toolchain, repo.helmfile, repo.manifests, 'staging', repo.dir)).toEqual([]);
  });

  it("keeps helm's bytes: YAML 1.1 octals, big integers, comments and flow style survive; only the namespace is written in", async () => {
    const deployment = await readFile(join(repo.manifests, 'staging', 'fid', 'deployment.apps_apps_fid.yaml'), 'utf8');
    expect(deployment).toBe(
      [
        '# Source: fidelity/templates/deployment.yaml',
        'apiVersion: apps/v1',
        'kind: Deployment',
        'metadata:',
        '  name: fid',
        '  namespace: apps',
        '  annotations:',
        '    # a comment helm keeps',
        '    example.com/flow: "kept"',
        'spec:',
        '  selector: { matchLabels: { app: fid } }',
        '  template:',
        '    metadata:',
        '      labels: { app: fid }',
        '    spec:',
        "      # int64: beyond JavaScript's exact integers",
        '      activeDeadlineSeconds: 9007199254740993',
        '      containers:',
        '        - name: app',
        '          image: registry.example.com/app:1.0.0',
        '          args: [ "--mode", "0400" ]',
        '          volumeMounts:',
        '            - { name: secret, mountPath: /etc/secret }',
        '      volumes:',
        '        - name: secret',
        '          secret:',
        '            secretName: fid',
        '            defaultMode: 0400',
        '',
      ].join('\n'),
    );
    // Read as Kubernetes reads it: 0400 is octal (256), the integer is exact.
    const object = kubernetesValue(parseKubernetesDocument(deployment)) as { spec: { template: { spec: Record<string, unknown> } } };
    expect((object.spec.template.spec.volumes as { secret: { defaultMode: number } }[])[0]!.secret.defaultMode).toBe(256);
    expect(object.spec.template.spec.activeDeadlineSeconds).toBe(9007199254740993n);
    const listed = await readFile(join(repo.manifests, 'staging', 'fid', 'configmap_apps_fid-listed.yaml'), 'utf8');
    expect(listed).toBe(
      '# Source: fidelity/templates/lists.yaml\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: fid-listed\n  namespace: apps\ndata:\n  mode: "0755"\n',
    );
  });

  it('gives a name longer than a file name allows a bounded, distinct file name', async () => {
    const [long] = (await readdir(join(repo.manifests, 'staging', 'fid'))).filter((file) => file.includes('~'));
    expect(long).toMatch(/^configmap_apps_fid-x+~[0-9a-f]{16}\.yaml$/);
    expect(Buffer.byteLength(long!)).toBeLessThanOrEqual(200);
    expect(await readFile(join(repo.manifests, 'staging', 'fid', long!), 'utf8')).toContain(`name: fid-${'x'.repeat(249)}`);
  });

  it('renders byte-identical files a second time', async () => {
    const before = await treeDigest(repo.manifests);
    await render();
    expect(await treeDigest(repo.manifests)).toEqual(before);
  });
});

describe('render owns only what it wrote', () => {
  let toolchain: Toolchain;
  let repo: GitopsRepo;
  const render = (outputDir = repo.manifests) =>
    hydrate({ helmfile: repo.helmfile, outputDir, cwd: repo.dir, repositoryRoot: repo.dir }, toolchain);

  beforeAll(async () => {
    toolchain = await testToolchain();
    repo = await GitopsRepo.create({
      repositoryUrl: inject('chartRepositoryUrl'),
      environments: ['staging', 'production'],
      releases: [{ name: 'web', namespace: 'apps', chart: 'webapp', version: '1.0.0' }],
    });
    await render();
  });
  afterAll(async () => {
    await repo?.remove();
    await toolchain?.remove();
  });

  it('refuses the repository root, the helmfile directory and a symbolic link out of the repository', async () => {
    await expect(render(repo.dir)).rejects.toThrow(/refusing output directory .*: it (is the repository root|holds the helmfile)/);
    await expect(render(join(repo.dir, 'helmfile'))).rejects.toThrow(/it holds the helmfile/);
    const outside = join(tmpdir(), `hydrate-outside-${process.pid}`);
    await mkdir(outside, { recursive: true });
    await symlink(outside, join(repo.dir, 'escape'));
    try {
      await expect(render(join(repo.dir, 'escape'))).rejects.toThrow(/a symbolic link leads it outside the repository/);
      expect(await readdir(outside)).toEqual([]);
    } finally {
      await rm(join(repo.dir, 'escape'));
      await rm(outside, { recursive: true, force: true });
    }
  });

  it('stops at a foreign file in a release directory, deleting nothing, and keeps files beside the release directories', async () => {
    await writeFile(join(repo.manifests, 'staging', 'web', 'kustomization.yaml'), 'resources: []\n');
    await writeFile(join(repo.manifests, 'staging', 'README.md'), 'hand-written\n');
    const before = await treeDigest(repo.manifests);
    const error = await render().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ForeignFileError);
    expect((error as Error).message).toContain('"staging/web/kustomization.yaml" is under a release directory');
    expect(await treeDigest(repo.manifests)).toEqual(before);
    await rm(join(repo.manifests, 'staging', 'web', 'kustomization.yaml'));
    await render();
    expect(await readFile(join(repo.manifests, 'staging', 'README.md'), 'utf8')).toBe('hand-written\n');
  });

  it("removes a removed environment's rendered files and its record, keeping what it did not write", async () => {
    await writeFile(join(repo.manifests, 'production', 'NOTES.md'), 'kept\n');
    await repo.write(
      'helmfile/helmfile.yaml.gotmpl',
      (await readFile(repo.helmfile, 'utf8')).replace(
        / {2}production:\n {4}values:\n {6}- \.\.\/environments\/production\/common\.yaml\n/,
        '',
      ),
    );
    await render();
    expect(await readdir(join(repo.manifests, 'production'))).toEqual(['NOTES.md']);
    const record = JSON.parse(await readFile(join(repo.manifests, OWNERSHIP_FILE), 'utf8')) as { environments: Record<string, string[]> };
    expect(Object.keys(record.environments)).toEqual(['staging']);
  });
});

describe('environments as helmfile sees them', () => {
  it('renders the environments a bases: file declares', async () => {
    const toolchain = await testToolchain();
    const repo = await GitopsRepo.create({
      repositoryUrl: inject('chartRepositoryUrl'),
      environments: ['staging'],
      releases: [{ name: 'web', namespace: 'apps', chart: 'webapp', version: '1.0.0' }],
    });
    try {
      const helmfile = await readFile(repo.helmfile, 'utf8');
      const [, releases] = helmfile.split('---\n');
      await repo.write(
        'helmfile/environments.yaml',
        stringify({
          environments: {
            staging: { values: ['../environments/staging/common.yaml'] },
            production: { values: ['../environments/staging/common.yaml'] },
          },
        }),
      );
      await repo.write('helmfile/helmfile.yaml.gotmpl', `bases:\n  - environments.yaml\n---\n${releases}`);
      await repo.write('environments/production/web.yaml', '{}\n');
      const written = await hydrate({ helmfile: repo.helmfile, outputDir: repo.manifests, cwd: repo.dir }, toolchain);
      expect(written.map((environment) => environment.environment).sort()).toEqual(['production', 'staging']);
    } finally {
      await repo.remove();
      await toolchain.remove();
    }
  });
});

describe('generated values', () => {
  let toolchain: Toolchain;
  let repo: GitopsRepo;
  const render = () => hydrate({ helmfile: repo.helmfile, outputDir: repo.manifests, cwd: repo.dir }, toolchain);
  const secret = (name: string) => readFile(join(repo.manifests, 'staging', 'gen', `secret_apps_gen-${name}.yaml`), 'utf8');

  beforeAll(async () => {
    toolchain = await testToolchain();
    repo = await GitopsRepo.create({
      repositoryUrl: inject('chartRepositoryUrl'),
      environments: ['staging'],
      releases: [{ name: 'gen', namespace: 'apps', chart: 'generator', version: '1.0.0' }],
    });
    await render();
  });
  afterAll(async () => {
    await repo?.remove();
    await toolchain?.remove();
  });

  it('keeps the committed CA, certificate, password and timestamps when the inputs did not change', async () => {
    const before = await treeDigest(repo.manifests);
    // Unchanged inputs: the release is not rendered at all (its fingerprint matches).
    const [unchanged] = await render();
    expect(unchanged!.releases.map((release) => release.origin)).toEqual(['committed']);
    expect(await treeDigest(repo.manifests)).toEqual(before);
    // Rendered anyway, the generated fields are found and get their committed values back.
    const [environment] = await hydrate(
      { helmfile: repo.helmfile, outputDir: repo.manifests, cwd: repo.dir, incremental: false },
      toolchain,
    );
    expect(await treeDigest(repo.manifests)).toEqual(before);
    const fields = environment!.generated!.map((field) => `${field.resource.name} ${field.path.join('.')} ${field.outcome}`).sort();
    expect(fields).toEqual([
      'gen-password stringData.id kept',
      'gen-password stringData.password kept',
      'gen-tls data.ca.crt kept',
      'gen-tls data.tls.crt kept',
      'gen-tls data.tls.key kept',
      'gen-tls metadata.annotations.example.com/generated-at kept',
    ]);
  });

  it('keeps them across a chart bump, while the real change lands', async () => {
    const tls = await secret('tls');
    const password = await secret('password');
    await repo.write('helmfile/helmfile.yaml.gotmpl', (await readFile(repo.helmfile, 'utf8')).replace('version: 1.0.0', 'version: 1.1.0'));
    await render();
    expect(await secret('tls')).toBe(tls);
    expect(await secret('password')).toBe(password);
    expect(await readFile(join(repo.manifests, 'staging', 'gen', 'configmap_apps_gen-greeting.yaml'), 'utf8')).toContain(
      'greeting: "bonjour"',
    );
  });
});
