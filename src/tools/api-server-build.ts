import { mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runProgram } from '../process/run-program.js';
import { childEnvironment } from './child-environment.js';
import { apiServerLdflags, type ApiServerProgram, type ApiServerSpec } from './api-server-spec.js';
import { parseGoModReplaces } from './go-build.js';

/** Kubernetes' staging modules (`k8s.io/api`, ...) are published as `v0.<minor>.<patch>` of the same release. */
export function stagingModuleVersion(version: string): string {
  const [, minor, patch] = version.split('.');
  return `v0.${minor}.${patch}`;
}

/**
 * The go.mod of a module that builds kube-apiserver and etcd of one release. k8s.io/kubernetes
 * replaces its staging modules with directories of its own tree, which a module that requires it
 * cannot see: each becomes the published module of the same release. etcd is built from the
 * server module k8s.io/kubernetes itself requires, so the pair is the one upstream tests together.
 */
export function apiServerGoMod(spec: ApiServerSpec, version: string, upstreamGoMod: string): string {
  const staging = parseGoModReplaces(upstreamGoMod)
    .map((directive) => /^(\S+)\s+=>\s+\.\/staging\//.exec(directive)?.[1])
    .filter((module): module is string => module !== undefined);
  if (staging.length === 0)
    throw new Error(`${spec.go.module}@v${version}: its go.mod replaces no staging module; the build recipe needs updating`);
  const replaces = staging.map((module) => `\t${module} => ${module} ${stagingModuleVersion(version)}`).join('\n');
  return `module helmfile-hydrate.local/build/kube-apiserver\n\ngo 1.24\n\nrequire ${spec.go.module} v${version}\n\nreplace (\n${replaces}\n)\n`;
}

/** etcd's own entry point: etcdmain.Main is what the etcd binary's main calls. */
export function etcdMainSource(etcdPackage: string): string {
  return `package main\n\nimport (\n\t"os"\n\n\tetcdmain "${etcdPackage}"\n)\n\nfunc main() { etcdmain.Main(os.Args) }\n`;
}

export interface ApiServerBuildOptions {
  go?: string;
  log?: (message: string) => void;
}

/**
 * Builds kube-apiserver and etcd of `version` with the Go toolchain into `directory`. Both are
 * built in a temporary directory and moved in only when both succeeded.
 */
export async function buildApiServer(
  spec: ApiServerSpec,
  version: string,
  directory: string,
  options: ApiServerBuildOptions = {},
): Promise<void> {
  const go = options.go ?? 'go';
  const log = options.log ?? (() => {});
  const env = childEnvironment(process.env, { GOFLAGS: '-buildvcs=false' });
  await mkdir(directory, { recursive: true });
  const work = await mkdtemp(join(directory, '.build-'));
  const run = async (args: string[], cwd: string): Promise<string> => {
    const result = await runProgram(go, args, { cwd, env, interleaved: true });
    if (result.exitCode !== 0) {
      throw new Error(
        `building kube-apiserver ${version} failed: \`go ${args.join(' ')}\` exited with ${result.exitCode}:\n${result.output?.slice(-4000)}`,
      );
    }
    return result.stdout;
  };
  try {
    const download = JSON.parse(await run(['mod', 'download', '-json', `${spec.go.module}@v${version}`], work)) as { GoMod?: string };
    if (!download.GoMod) throw new Error(`go mod download ${spec.go.module}@v${version} named no go.mod`);
    const moduleDir = join(work, 'module');
    await mkdir(join(moduleDir, 'etcd'), { recursive: true });
    await writeFile(join(moduleDir, 'go.mod'), apiServerGoMod(spec, version, await readFile(download.GoMod, 'utf8')));
    await writeFile(join(moduleDir, 'tools.go'), `//go:build tools\n\npackage tools\n\nimport _ "${spec.go.package}"\n`);
    await writeFile(join(moduleDir, 'etcd', 'main.go'), etcdMainSource(spec.go.etcdPackage));
    log(`go build kube-apiserver and etcd of Kubernetes ${version} (first run only; takes several minutes)`);
    await run(['mod', 'tidy'], moduleDir);
    const built: Record<ApiServerProgram, string> = { 'kube-apiserver': join(work, 'kube-apiserver'), etcd: join(work, 'etcd') };
    await run(['build', '-ldflags', apiServerLdflags(spec, version), '-o', built['kube-apiserver'], spec.go.package], moduleDir);
    await run(['build', '-o', built.etcd, './etcd'], moduleDir);
    for (const [program, path] of Object.entries(built)) await rename(path, join(directory, program));
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
