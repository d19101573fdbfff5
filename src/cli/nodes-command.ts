import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { nodesFromKubectl, withDeclaredNodes } from '../cluster/node-import.js';
import { NodeDeclarationError } from '../cluster/node-declaration.js';
import { repositoryRoot } from '../git/working-tree.js';
import { REPOSITORY_PINS_FILE, parseRepositoryPins } from '../tools/repository-pins.js';
import { ExitCode, UsageError, type ExitCodeValue } from './exit-codes.js';
import type { Terminal } from './terminal.js';

export const NODES_USAGE = `Usage: helmfile-hydrate nodes import -e ENVIRONMENT [--from FILE]

Writes environments.<ENVIRONMENT>.nodes of ${REPOSITORY_PINS_FILE} (at the root of the git repository
of the current directory) from the output of \`kubectl get nodes -o json\`, read from FILE or from
stdin. helmfile-hydrate never talks to the cluster: run kubectl yourself, e.g.

  kubectl get nodes -o json | npx helmfile-hydrate nodes import -e production

Kept per node: name, architecture, the labels a person set, taints other than health conditions,
allocatable cpu, memory, pods and ephemeral-storage. The rest of the file, comments included, is kept.

Options:
  -e, --environments NAME   the environment the nodes belong to (one)
      --from FILE           kubectl's JSON (default: stdin)
  -h, --help                show this help`;

/** `nodes import`: the environment's node declaration from kubectl's JSON. */
export async function nodesCommand(argv: string[], terminal: Terminal, stdin: () => Promise<string> = readStdin): Promise<ExitCodeValue> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { environments: { type: 'string', short: 'e' }, from: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) {
    terminal.out(NODES_USAGE);
    return ExitCode.Success;
  }
  if (positionals[0] !== 'import' || positionals.length !== 1)
    throw new UsageError(`unknown nodes subcommand "${positionals.join(' ')}"; use: nodes import`);
  const environment = values.environments;
  if (!environment || environment.includes(',')) throw new UsageError('-e/--environments names the one environment the nodes belong to');
  const source = values.from ?? 'stdin';
  const json = values.from ? await readFile(values.from, 'utf8') : await stdin();
  const path = join(await repositoryRoot(process.cwd()).catch(() => process.cwd()), REPOSITORY_PINS_FILE);
  const before = await readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return '';
    throw error;
  });
  try {
    const nodes = nodesFromKubectl(json, source);
    const after = withDeclaredNodes(before, environment, nodes);
    // The result must read back as a declaration: nothing is written that the next run would refuse.
    parseRepositoryPins(after, path);
    await writeFile(`${path}.tmp`, after);
    await rename(`${path}.tmp`, path);
    terminal.err(
      `wrote ${nodes.length} node(s) of ${environment} to ${path}: ${nodes.map((node) => `${node.name} (${node.architecture})`).join(', ')}`,
    );
    return ExitCode.Success;
  } catch (error) {
    if (!(error instanceof NodeDeclarationError)) throw error;
    terminal.err(`nodes import: ${error.message}`);
    return ExitCode.Failure;
  }
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
