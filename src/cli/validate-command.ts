import { flagsUsage, parseFlags } from './flags.js';
import { renderOptions } from './render-options.js';
import { renderEnvironments } from '../render/render.js';
import { renderErrorsOf } from '../render/errors.js';
import type { EnvironmentManifests } from '../model/manifests.js';
import { createSchemaSource, type SchemaSource } from '../validate/schemas/schema-source.js';
import { DEFAULT_KUBERNETES_VERSION } from '../validate/schemas/kubernetes-version.js';
import { findingsToJson, formatReportText } from '../validate/findings/output.js';
import { readManifestsForValidation } from '../validate/manifest-files.js';
import { sortFindings } from '../validate/findings/ordering.js';
import { validateEnvironments } from '../validate/validate.js';
import type { Finding } from '../validate/findings/finding.js';
import { findIgnoredValues, ValuesCheckError } from '../values/release-values.js';
import { formatIgnoredValuesText, groupIgnoredValues, type IgnoredValue } from '../values/ignored-value.js';
import { formatSettingError, SettingError } from '../settings/setting-error.js';
import type { SettingKey, SettingValues } from '../settings/table.js';
import { withRebuildDrill } from '../apiserver/drill-report.js';
import { startRunClusters, type RunClusters } from '../cluster/run-clusters.js';
import { environmentArchitectures, environmentCluster } from '../cluster/node-declaration.js';
import { checkoutPins } from './repository-pins-option.js';
import { imageDrill } from '../images/image-drill.js';
import { cliImageCheckOptions } from './image-check-option.js';
import { ExitCode, UsageError, type ExitCodeValue } from './exit-codes.js';
import type { Terminal } from './terminal.js';

export const VALIDATE_USAGE = `Usage: helmfile-hydrate validate [options]

Validates every rendered resource against the Kubernetes OpenAPI schemas of one Kubernetes
version and the CustomResourceDefinitions in the render. Strict: unknown fields, wrong types,
missing required fields, API versions the version does not serve and kinds without a schema are
findings. Renders first (like \`render\`, nothing is written) unless --manifests is given; the
Kubernetes version defaults to ${DEFAULT_KUBERNETES_VERSION} here.

Options:
${flagsUsage('validate')}

Exit codes: 0 no findings, 1 findings (or the render or a schema download failed), 2 usage error.`;

export async function validateCommand(argv: string[], terminal: Terminal): Promise<ExitCodeValue> {
  const { settings, given, help } = parseFlags(argv, 'validate');
  if (help) {
    terminal.out(VALIDATE_USAGE);
    return ExitCode.Success;
  }
  if (given.has('manifests') && (given.has('helmfile') || given.has('clusterScopedKinds') || given.has('chartMirror'))) {
    throw new UsageError(
      '--manifests validates written manifests; it cannot be combined with --helmfile, --cluster-scoped-kinds or --chart-mirror',
    );
  }
  let schemas;
  try {
    schemas = createSchemaSource({
      kubernetesVersion: settings.kubernetesVersion || undefined,
      kubernetesSchemas: settings.kubernetesSchemas || undefined,
      cacheDirectory: settings.schemaCache || undefined,
    });
  } catch (error) {
    throw error instanceof SettingError ? new UsageError(formatSettingError(error, 'cli')) : error;
  }

  // The server starts while the environments are rendered or read.
  const apiServer = settings.apiServer
    ? startRunClusters(
        {
          kubernetesVersion: schemas.kubernetesVersion.version,
          explicitDirectory: settings.apiServerBinaries || undefined,
          log: (message) => terminal.err(`local cluster: ${message}`),
        },
        settings.rehearsal ? 'scheduling' : 'api-server',
      )
    : undefined;
  try {
    return await validateWith(settings, given, schemas, apiServer, terminal);
  } finally {
    await apiServer?.pool.close();
  }
}

async function validateWith(
  settings: SettingValues,
  given: ReadonlySet<SettingKey>,
  schemas: SchemaSource,
  apiServer: RunClusters | undefined,
  terminal: Terminal,
): Promise<ExitCodeValue> {
  let environments: EnvironmentManifests[];
  let fileFindings: Finding[] = [];
  let outputDir = settings.outputDir;
  let ignoredValues: IgnoredValue[] = [];
  if (given.has('manifests')) {
    outputDir = settings.manifests;
    // Every validation needs core/v1: fetch it while the files are read (errors surface in validation).
    schemas.document({ group: '', version: 'v1' }).catch(() => undefined);
    const read = await readManifestsForValidation(settings.manifests, given.has('environments') ? settings.environments : undefined);
    environments = read.environments;
    fileFindings = read.findings;
    if (environments.length === 0) {
      terminal.err(`no manifests under ${settings.manifests}/ (expected <environment>/<release>/*.yaml); render them first`);
      return ExitCode.Failure;
    }
  } else {
    // Charts see the version they are validated for, as in the action.
    const { settings: renderSettings, toolchain, progress } = await renderOptions(settings, terminal);
    try {
      environments = await renderEnvironments(renderSettings, toolchain, progress);
      if (settings.valuesCheck) ignoredValues = await findIgnoredValues(renderSettings, toolchain, { rendered: environments });
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

  let report = await validateEnvironments(environments, {
    schemas,
    skipKinds: settings.skipKinds,
    ignoreMissingSchemas: settings.ignoreMissingSchemas,
    extraCrds: settings.extraCrds,
  });
  if (apiServer) {
    // The environments (rendered, or read from --manifests) are matched by name to the nodes the repository it runs in declares.
    const declared = (await checkoutPins(settings.helmfile))?.environments ?? new Map();
    const clusterOf = (environment: string) => environmentCluster(declared, environment);
    // The registries answer while the API server works.
    const images = settings.imageCheck
      ? imageDrill(
          environments,
          cliImageCheckOptions(terminal, (environment) => environmentArchitectures(clusterOf(environment))),
          (message) => terminal.err(`images: ${message}`),
        )
      : undefined;
    const drilled = await withRebuildDrill(report, environments, apiServer.pool, {
      version: await apiServer.version(),
      skipKinds: settings.skipKinds,
      ...(apiServer.level === 'scheduling' ? { rehearsal: clusterOf } : {}),
    });
    const imaged = await images;
    report = imaged ? { ...drilled, findings: sortFindings([...drilled.findings, ...imaged.findings]), images: imaged.images } : drilled;
  }
  if (fileFindings.length) report.findings = sortFindings([...fileFindings, ...report.findings]);
  if (settings.findingsFormat === 'json') {
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
