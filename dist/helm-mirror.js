// src/render/helm-mirror.ts
import { spawnSync } from "node:child_process";
import { readFileSync, realpathSync } from "node:fs";
import { pathToFileURL } from "node:url";

// src/render/chart-mirror-plan.ts
function rewriteHelmArguments(args, plan) {
  const mapped = (value) => {
    const trimmed = value.replace(/\/+$/, "");
    for (const rule of plan.rules) {
      if (trimmed === rule.source || trimmed.startsWith(`${rule.source}/`)) return rule.target + trimmed.slice(rule.source.length);
    }
    return void 0;
  };
  const result = [...args];
  const repo = result.findIndex((arg, index) => arg === "repo" && result[index + 1] === "add");
  if (repo !== -1 && result.length > repo + 3) {
    const name = result[repo + 2];
    const url = result[repo + 3];
    result[repo + 3] = mapped(url) ?? (plan.base === void 0 ? url : `${plan.base}/${name}`);
    return result;
  }
  const appended = [];
  for (let index = 0; index < result.length; index++) {
    const arg = result[index];
    if (!/^(https?|oci):\/\//.test(arg)) continue;
    let target = mapped(arg);
    if (target === void 0 && plan.base !== void 0 && arg.startsWith("oci://"))
      target = `${plan.base}/${arg.slice("oci://".length).replace(/\/+$/, "")}`;
    if (target === void 0) continue;
    if (arg.startsWith("oci://") && !target.startsWith("oci://")) {
      const slash = target.lastIndexOf("/");
      result[index] = target.slice(slash + 1);
      appended.push("--repo", target.slice(0, slash));
    } else {
      result[index] = target;
    }
  }
  return [...result, ...appended];
}

// src/render/helm-mirror.ts
function runHelmMirror([planFile, realHelm, ...args]) {
  if (!planFile || !realHelm) {
    process.stderr.write("usage: helm-mirror <plan.json> <helm> [helm arguments...]\n");
    return 2;
  }
  const plan = JSON.parse(readFileSync(planFile, "utf8"));
  const result = spawnSync(realHelm, rewriteHelmArguments(args, plan), { stdio: "inherit" });
  if (result.error) {
    process.stderr.write(`helmfile-hydrate chart mirror: cannot run ${realHelm}: ${result.error.message}
`);
    return 127;
  }
  if (result.signal) process.kill(process.pid, result.signal);
  return result.status ?? 1;
}
function isEntryPoint() {
  try {
    return process.argv[1] !== void 0 && import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href;
  } catch {
    return false;
  }
}
if (isEntryPoint()) process.exitCode = runHelmMirror(process.argv.slice(2));
export {
  runHelmMirror
};
