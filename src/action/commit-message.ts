export interface CommitMessageInput {
  baseSha: string;
  headSha: string;
  environments: readonly string[];
  tools: readonly { name: string; version: string }[];
}

/** The message of the manifests commit: what was rendered, from which commits, with which tools (pure). */
export function manifestsCommitMessage(input: CommitMessageInput): string {
  return [
    `hydrate: render manifests of ${input.headSha.slice(0, 12)}`,
    '',
    `Rendered ${input.environments.length === 1 ? 'environment' : 'environments'} ${input.environments.join(', ')}`,
    `of head ${input.headSha}`,
    `(pull request base ${input.baseSha})`,
    `with ${input.tools.map((tool) => `${tool.name} ${tool.version}`).join(', ')}.`,
    '',
  ].join('\n');
}
