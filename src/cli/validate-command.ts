import {
  aliasedOption,
  CHART_MIRROR_USAGE,
  kubernetesVersionOption,
  listOption,
  RENDER_OPTIONS,
  renderOptions,
  settingUsageError,
} from './render-options.js';
import { renderEnvironments, renderErrorsOf, type EnvironmentManifests } from '../render/index.js';
import {
  createSchemaSource,
  DEFAULT_KUBERNETES_VERSION,
  findingsToJson,
  formatReportText,
  readManifestsForValidation,
  sortFindings,
  validateEnvironments,
  type Finding,
  type SchemaSource,
} from '../validate/index.js';
import { findIgnoredValues, formatIgnoredValuesText, groupIgnoredValues, ValuesCheckError, type IgnoredValue } from '../values/index.js';
import { DEFAULT_HELMFILE_PATH, DEFAULT_MANIFESTS_DIRECTORY } from '../defaults.js';
import { parseCommandOptions } from './command-options.js';
import { ExitCode, UsageError, type ExitCodeValue } from './exit-codes.js';
import type { Terminal } from './terminal.js';
import { withRebuildDrill } from '../apiserver/drill-report.js';
import { startRunApiServers, type RunApiServers } from '../apiserver/run-servers.js';

export const VALIDATE_USAGE = `Usage: helmfile-hydrate validate [options]

Validates every rendered resource against the Kubernetes OpenAPI schemas of one Kubernetes
version and the CustomResourceDefinitions in the render. Strict: unknown fields, wrong types,
missing required fields, API versions the version does not serve and kinds without a schema are
findings. Renders first (like \`render\`, nothing is written) unless --manifests is given.

Options:
      --manifests DIR         Validate the manifests already written under DIR
                              (<DIR>/<environment>/<release>/*.yaml) instead of rendering.
  -e, --environments NAMES    Environments to validate (comma-separated, repeatable). Default: all.
                              Alias: --environment.
  -f, --helmfile PATH         helmfile.yaml(.gotmpl) or its directory. Default: ${DEFAULT_HELMFILE_PATH}
  -o, --output-dir DIR        Manifests directory named in messages when rendering.
                              Default: ${DEFAULT_MANIFESTS_DIRECTORY}. Alias: --output.
      --cluster-scoped-kinds KINDS
                              As for render (comma-separated, repeatable). Alias: --cluster-scoped.
      --kubernetes-version V  Kubernetes version to render (.Capabilities.KubeVersion) and validate for:
                              1.35 or 1.35.2. Default: ${DEFAULT_KUBERNETES_VERSION}. Alias: --kube-version.
      --kubernetes-schemas URL
                              Where the OpenAPI v3 documents are (URL or local directory); {ref},
                              {version}, {minor} are filled in. Default: upstream kubernetes/kubernetes.
                              Alias: --schema-base-url.
      --schema-cache DIR      Cache of downloaded documents. Default: <tool cache>/kubernetes-openapi
      --skip-kinds KINDS      Do not validate these kinds (Kind or Kind.group, comma-separated,
                              repeatable); listed as skipped. Alias: --skip-kind.
      --ignore-missing-schemas
                              Skip (and list) resources whose kind has no schema instead of failing.
      --crd PATH              CRD file or directory of CRD files not in the render (repeatable).
      --no-values-check       When rendering, do not look for values the charts ignore. By default a
                              key a values file sets that its chart neither declares (values.yaml,
                              values.schema.json) nor reads in a template is a finding, with the
                              values file, line and the chart's nearest key.
      --api-server            Also apply each environment, in Argo CD's sync order, to a real
                              kube-apiserver of the Kubernetes version (started on 127.0.0.1 for
                              this run, never a cluster): the rebuild drill. What it refuses is a
                              finding (rule api-server) with the server's message; it sees the
                              rules the schemas cannot (selectors, names, ports, duplicates).
      --api-server-binaries DIR
                              Directory holding kube-apiserver and etcd (e.g. an unpacked envtest
                              archive). Default: the pinned release, installed on first use.
      --format FORMAT         text (default) or json.
${CHART_MIRROR_USAGE}
      --helm PATH             helm binary to use instead of the pinned one.
      --helmfile-binary PATH  helmfile binary to use instead of the pinned one.
  -h, --help                  Show this help.

Exit codes: 0 no findings, 1 findings (or the render or a schema download failed), 2 usage error.`;

const VALIDATE_OPTIONS = {
  ...RENDER_OPTIONS,
  manifests: { type: 'string' },
  'output-dir': { type: 'string', short: 'o' },
  'kubernetes-schemas': { type: 'string' },
  'schema-cache': { type: 'string' },
  'skip-kinds': { type: 'string', multiple: true },
  // Aliases: the names before the flags took the action inputs' names.
  output: { type: 'string' },
  'schema-base-url': { type: 'string' },
  'skip-kind': { type: 'string', multiple: true },
  'ignore-missing-schemas': { type: 'boolean' },
  crd: { type: 'string', multiple: true },
  format: { type: 'string' },
  'no-values-check': { type: 'boolean' },
  'api-server': { type: 'boolean' },
  'api-server-binaries': { type: 'string' },
} as const;

function parseValidateOptions(argv: string[]) {
  return parseCommandOptions(argv, VALIDATE_OPTIONS);
}

export async function validateCommand(argv: string[], terminal: Terminal): Promise<ExitCodeValue> {
  const values = parseValidateOptions(argv);
  if (values.help) {
    terminal.out(VALIDATE_USAGE);
    return ExitCode.Success;
  }
  const format = values.format ?? 'text';
  if (format !== 'text' && format !== 'json') throw new UsageError(`--format must be text or json, not ${JSON.stringify(format)}`);
  if (
    values.manifests !== undefined &&
    (values.helmfile !== undefined ||
      values['cluster-scoped-kinds'] !== undefined ||
      values['cluster-scoped'] !== undefined ||
      values['chart-mirror'] !== undefined)
  ) {
    throw new UsageError(
      '--manifests validates written manifests; it cannot be combined with --helmfile, --cluster-scoped-kinds or --chart-mirror',
    );
  }
  let schemas;
  try {
    schemas = createSchemaSource({
      kubernetesVersion: kubernetesVersionOption(values),
      kubernetesSchemas: aliasedOption(values, 'kubernetes-schemas', 'schema-base-url'),
      cacheDirectory: values['schema-cache'],
    });
  } catch (error) {
    throw settingUsageError(error);
  }

  // The server starts while the environments are rendered or read.
  const apiServer = values['api-server']
    ? startRunApiServers({
        kubernetesVersion: schemas.kubernetesVersion.version,
        explicitDirectory: values['api-server-binaries'],
        log: (message) => terminal.err(`api server: ${message}`),
      })
    : undefined;
  try {
    return await validateWith(values, schemas, format, apiServer, terminal);
  } finally {
    await apiServer?.pool.close();
  }
}

async function validateWith(
  values: ReturnType<typeof parseValidateOptions>,
  schemas: SchemaSource,
  format: 'text' | 'json',
  apiServer: RunApiServers | undefined,
  terminal: Terminal,
): Promise<ExitCodeValue> {
  let environments: EnvironmentManifests[];
  let fileFindings: Finding[] = [];
  let outputDir = aliasedOption(values, 'output-dir', 'output') ?? DEFAULT_MANIFESTS_DIRECTORY;
  let ignoredValues: IgnoredValue[] = [];
  if (values.manifests !== undefined) {
    outputDir = values.manifests;
    // Every validation needs core/v1: fetch it while the files are read (errors surface in validation).
    schemas.document({ group: '', version: 'v1' }).catch(() => undefined);
    const read = await readManifestsForValidation(values.manifests, listOption(values.environments, values.environment));
    environments = read.environments;
    fileFindings = read.findings;
    if (environments.length === 0) {
      terminal.err(`no manifests under ${values.manifests}/ (expected <environment>/<release>/*.yaml); render them first`);
      return ExitCode.Failure;
    }
  } else {
    // Charts see the version they are validated for, as in the action.
    const { settings: renderSettings, toolchain, progress } = await renderOptions(values, terminal);
    try {
      environments = await renderEnvironments(renderSettings, toolchain, progress);
      if (!values['no-values-check']) ignoredValues = await findIgnoredValues(renderSettings, toolchain, { rendered: environments });
    } catch (error) {
      if (renderErrorsOf(error)) {
        terminal.err(`render failed; nothing was validated:\n\n${(error as Error).message}`);
        return ExitCode.Failure;
      }
      if (error instanceof ValuesCheckError) {
        terminal.err(`the values check failed (skip it with --no-values-check):\n\n${error.message}`);
        return ExitCode.Failure;
      }
      throw error;
    }
  }

  const skipKinds = listOption(values['skip-kinds'], values['skip-kind']);
  let report = await validateEnvironments(environments, {
    schemas,
    skipKinds,
    ignoreMissingSchemas: values['ignore-missing-schemas'],
    extraCrds: values.crd,
  });
  if (apiServer) report = await withRebuildDrill(report, environments, apiServer.pool, { version: await apiServer.version(), skipKinds });
  if (fileFindings.length) report.findings = sortFindings([...fileFindings, ...report.findings]);
  if (format === 'json') {
    terminal.out(
      ignoredValues.length
        ? `${JSON.stringify({ ...JSON.parse(findingsToJson(report)), ignoredValues: groupIgnoredValues(ignoredValues) }, null, 2)}\n`
        : findingsToJson(report),
    );
  } else {
    terminal.out(formatReportText(report, outputDir) + (ignoredValues.length ? `\n${formatIgnoredValuesText(ignoredValues)}` : ''));
  }
  return report.findings.length > 0 || ignoredValues.length > 0 ? ExitCode.Failure : ExitCode.Success;
}
