/** The mirror with every directory replaced by the URL it is served at: what the wrapper applies. */
export interface ChartMirrorPlan {
  base?: string;
  rules: Array<{ source: string; target: string }>;
}

/**
 * helm's arguments with repository URLs and OCI references moved to the mirror:
 * - `repo add NAME URL`: URL -> the rule's target, else `<base>/NAME`;
 * - an argument starting with a rule's source (an `oci://` chart, a `--repo` URL) -> the target;
 *   an OCI chart without a rule -> `<base>/<host>/<path>`;
 * - an OCI chart that lands on an HTTP repository becomes `CHART --repo REPOSITORY`, which
 *   `helm pull`, `template` and `show` accept.
 * Pure and free of imports: the helm wrapper (helm-mirror.ts, bundled as its own program) runs it.
 */
export function rewriteHelmArguments(args: readonly string[], plan: ChartMirrorPlan): string[] {
  const mapped = (value: string): string | undefined => {
    const trimmed = value.replace(/\/+$/, '');
    for (const rule of plan.rules) {
      if (trimmed === rule.source || trimmed.startsWith(`${rule.source}/`)) return rule.target + trimmed.slice(rule.source.length);
    }
    return undefined;
  };
  const result = [...args];
  const repo = result.findIndex((arg, index) => arg === 'repo' && result[index + 1] === 'add');
  if (repo !== -1 && result.length > repo + 3) {
    const name = result[repo + 2]!;
    const url = result[repo + 3]!;
    result[repo + 3] = mapped(url) ?? (plan.base === undefined ? url : `${plan.base}/${name}`);
    return result;
  }
  const appended: string[] = [];
  for (let index = 0; index < result.length; index++) {
    const arg = result[index]!;
    if (!/^(https?|oci):\/\//.test(arg)) continue;
    let target = mapped(arg);
    if (target === undefined && plan.base !== undefined && arg.startsWith('oci://'))
      target = `${plan.base}/${arg.slice('oci://'.length).replace(/\/+$/, '')}`;
    if (target === undefined) continue;
    if (arg.startsWith('oci://') && !target.startsWith('oci://')) {
      const slash = target.lastIndexOf('/');
      result[index] = target.slice(slash + 1);
      appended.push('--repo', target.slice(0, slash));
    } else {
      result[index] = target;
    }
  }
  return [...result, ...appended];
}
