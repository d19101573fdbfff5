import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { withTemporaryDirectory } from '../fs/temporary-directory.js';
import { dirname, join } from 'node:path';
import { runProgram } from '../process/run-program.js';
import { childEnvironment } from './child-environment.js';
import { expandTemplate, type ToolSpec } from './manifest.js';

/** One `replace` directive of a go.mod, kept verbatim (`old [v] => new [v]`). */
export type GoReplace = string;

/**
 * Reads the `replace` directives of a go.mod. `go install module@version` refuses modules
 * that have any, so those are built in a generated module that repeats them.
 */
export function parseGoModReplaces(goMod: string): GoReplace[] {
  const replaces: GoReplace[] = [];
  let inBlock = false;
  for (const raw of goMod.split('\n')) {
    const line = raw.replace(/\/\/.*$/, '').trim();
    if (!line) continue;
    if (inBlock) {
      if (line === ')') inBlock = false;
      else replaces.push(line);
    } else if (/^replace\s*\($/.test(line)) {
      inBlock = true;
    } else if (line.startsWith('replace ')) {
      replaces.push(line.slice('replace '.length).trim());
    }
  }
  return replaces;
}

export interface GoBuildOptions {
  go?: string;
  log?: (message: string) => void;
}

/**
 * Builds `spec` from source with the Go toolchain into `destination` (a file path), going
 * through a temporary file so that a failed or interrupted build leaves nothing behind.
 */
export async function goBuild(spec: ToolSpec, destination: string, options: GoBuildOptions = {}): Promise<void> {
  const go = options.go ?? 'go';
  const log = options.log ?? (() => {});
  const version = `v${spec.version}`;
  const ldflags = expandTemplate(spec.go.ldflags, { version: spec.version });
  const env = childEnvironment(process.env, { GOFLAGS: '-buildvcs=false' });
  await mkdir(dirname(destination), { recursive: true });
  await withTemporaryDirectory(
    '.build-',
    async (work) => {
      const binary = join(work, spec.name);
      const run = async (args: string[], cwd: string, extraEnv: Record<string, string> = {}) => {
        const result = await runProgram(go, args, { cwd, env: { ...env, ...extraEnv }, interleaved: true });
        if (result.exitCode !== 0) {
          throw new Error(
            `building ${spec.name} ${version} failed: \`go ${args.join(' ')}\` exited with ${result.exitCode}:\n${result.output?.slice(-4000)}`,
          );
        }
        return result.stdout;
      };
      const download = JSON.parse(await run(['mod', 'download', '-json', `${spec.go.module}@${version}`], work)) as { GoMod?: string };
      const replaces = download.GoMod ? parseGoModReplaces(await readFile(download.GoMod, 'utf8')) : [];
      const ldflagArgs = ldflags ? ['-ldflags', ldflags] : [];
      if (replaces.length === 0) {
        log(`go install ${spec.go.package}@${version}`);
        await run(['install', ...ldflagArgs, `${spec.go.package}@${version}`], work, { GOBIN: work });
      } else {
        // The upstream go.mod pins dependencies with replace directives; a module that requires
        // the tool and repeats them builds exactly what upstream's own `go build` builds.
        log(`go build ${spec.go.package}@${version} (repeating its ${replaces.length} replace directives)`);
        const moduleDir = join(work, 'module');
        await mkdir(moduleDir);
        await writeFile(
          join(moduleDir, 'go.mod'),
          `module helmfile-hydrate.local/build/${spec.name}\n\ngo 1.24\n\nrequire ${spec.go.module} ${version}\n\n` +
            `replace (\n${replaces.map((r) => `\t${r}`).join('\n')}\n)\n`,
        );
        await writeFile(join(moduleDir, 'tools.go'), `//go:build tools\n\npackage tools\n\nimport _ "${spec.go.package}"\n`);
        await run(['mod', 'tidy'], moduleDir);
        await run(['build', ...ldflagArgs, '-o', binary, spec.go.package], moduleDir);
      }
      await rename(binary, destination);
    },
    dirname(destination),
  );
}
