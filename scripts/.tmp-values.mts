import { parseChartMirror } from '../src/render/index.js';
import { findIgnoredValues, formatIgnoredValue } from '../src/values/release-values.js';
const helm = `${process.env.HOME}/.cache/helmfile-hydrate/tools/helm/4.3.1/helm`;
const t = Date.now();
const found = await findIgnoredValues({ helmfile: 'helmfile', environments: process.argv.slice(2), chartMirror: parseChartMirror(['/work/shared/charts'], '/') }, { helm: { path: helm }, helmfile: { path: `${process.env.HOME}/.cache/helmfile-hydrate/tools/helmfile/1.8.0/helmfile` }, env: process.env as Record<string, string> });
for (const f of found) console.log(formatIgnoredValue(f));
console.log(found.length, Date.now() - t);
