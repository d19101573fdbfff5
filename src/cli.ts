import { pathToFileURL } from 'node:url';
import { realpathSync } from 'node:fs';
import { ExitCode, UsageError, type ExitCodeValue } from './cli/exit-codes.js';
import { diffCommand, DIFF_USAGE } from './cli/diff-command.js';
import { renderCommand, RENDER_USAGE } from './cli/render-command.js';
import { processTerminal, type Terminal } from './cli/terminal.js';
import { validateCommand, VALIDATE_USAGE } from './cli/validate-command.js';
import { nodesCommand, NODES_USAGE } from './cli/nodes-command.js';
import { formatSettingError } from './settings/setting-error.js';

type Command = (argv: string[], terminal: Terminal) => Promise<ExitCodeValue>;

const COMMANDS: Record<string, { run: Command; usage: string; summary: string }> = {
  render: { run: renderCommand, usage: RENDER_USAGE, summary: 'render every environment to manifests/<environment>/<release>/' },
  validate: { run: validateCommand, usage: VALIDATE_USAGE, summary: 'validate rendered resources against Kubernetes schemas and CRDs' },
  diff: {
    run: (argv, terminal) => diffCommand(argv, terminal),
    usage: DIFF_USAGE,
    summary: 'show what a change does to the rendered manifests (base vs head commit)',
  },
  nodes: {
    run: (argv, terminal) => nodesCommand(argv, terminal),
    usage: NODES_USAGE,
    summary: "declare an environment's nodes in .helmfile-hydrate.yaml from kubectl get nodes -o json",
  },
};

function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((name) => name.length));
  return `Usage: helmfile-hydrate <command> [options]

Commands:
${Object.entries(COMMANDS)
  .map(([name, command]) => `  ${name.padEnd(width)}  ${command.summary}`)
  .join('\n')}

Run \`helmfile-hydrate <command> --help\` for a command's options.
Exit codes: 0 success, 1 failure (render failed, findings), 2 usage error.`;
}

/** Runs the command line; returns the exit code instead of exiting, for tests. */
export async function runCli(argv: string[], terminal: Terminal = processTerminal): Promise<ExitCodeValue> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    terminal.out(usage());
    return name ? ExitCode.Success : ExitCode.Usage;
  }
  const command = COMMANDS[name];
  if (!command) {
    terminal.err(`unknown command "${name}"\n\n${usage()}`);
    return ExitCode.Usage;
  }
  try {
    return await command.run(rest, terminal);
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (error instanceof UsageError || (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS'))) {
      terminal.err(`${(error as Error).message}\n\n${command.usage}`);
      return ExitCode.Usage;
    }
    // A setting error from the library names the flag to fix (`--kubernetes-schemas: ...`).
    terminal.err(`error: ${formatSettingError(error, 'cli')}`);
    return ExitCode.Failure;
  }
}

function isEntryPoint(): boolean {
  try {
    return process.argv[1] !== undefined && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href;
  } catch {
    return false;
  }
}

if (isEntryPoint()) {
  process.exitCode = await runCli(process.argv.slice(2));
}
