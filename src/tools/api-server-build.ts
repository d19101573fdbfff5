import { mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runProgram } from '../process/run-program.js';
import { childEnvironment } from './child-environment.js';
import { apiServerLdflags, type ApiServerSpec } from './api-server-spec.js';
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
export function buildApiServer(
  spec: ApiServerSpec,
  version: string,
  directory: string,
  options: ApiServerBuildOptions = {},
): Promise<void> {
  return buildKubernetesPrograms(
    spec,
    version,
    directory,
    [
      { program: 'kube-apiserver', package: spec.go.package, ldflags: apiServerLdflags(spec, version) },
      { program: 'etcd', package: './etcd' },
    ],
    options,
  );
}

/** One program built from the Kubernetes module copy: its package (or `./dir` of the copy) and link flags. */
export interface KubernetesBuildTarget {
  program: string;
  package: string;
  ldflags?: string;
}

/**
 * Builds programs of Kubernetes `version` in one module copy that requires k8s.io/kubernetes (the
 * API server's recipe, so every program of a release shares one dependency graph and one Go build
 * cache). Everything is built in a temporary directory and moved into `directory` only when every
 * program succeeded: a failed build leaves nothing half-written.
 */
export async function buildKubernetesPrograms(
  spec: ApiServerSpec,
  version: string,
  directory: string,
  targets: readonly KubernetesBuildTarget[],
  options: ApiServerBuildOptions = {},
): Promise<void> {
  const go = options.go ?? 'go';
  const log = options.log ?? (() => {});
  const env = childEnvironment(process.env, { GOFLAGS: '-buildvcs=false' });
  const names = targets.map((target) => target.program).join(', ');
  await mkdir(directory, { recursive: true });
  const work = await mkdtemp(join(directory, '.build-'));
  const run = async (args: string[], cwd: string): Promise<string> => {
    const result = await runProgram(go, args, { cwd, env, interleaved: true });
    if (result.exitCode !== 0) {
      throw new Error(
        `building ${names} ${version} failed: \`go ${args.join(' ')}\` exited with ${result.exitCode}:\n${result.output?.slice(-4000)}`,
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
    const imports = targets.filter((target) => !target.package.startsWith('./')).map((target) => `import _ "${target.package}"\n`);
    await writeFile(join(moduleDir, 'tools.go'), `//go:build tools\n\npackage tools\n\n${imports.join('')}`);
    await writeFile(join(moduleDir, 'etcd', 'main.go'), etcdMainSource(spec.go.etcdPackage));
    log(`go build ${names} of Kubernetes ${version} (first run only; takes several minutes)`);
    await run(['mod', 'tidy'], moduleDir);
    for (const target of targets) {
      const output = join(work, target.program);
      await run(['build', ...(target.ldflags ? ['-ldflags', target.ldflags] : []), '-o', output, target.package], moduleDir);
    }
    for (const target of targets) await rename(join(work, target.program), join(directory, target.program));
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
