import type { AnnotationProperties } from '@actions/core';
import { DEFAULT_MANIFESTS_DIRECTORY } from '../../defaults.js';
import { formatResourceKey } from '../../model/resource-key.js';
import type { Finding, SkippedResource } from './finding.js';
import type { ValidationReport } from '../validate.js';

/** `manifests/staging/web/deployment.apps_apps_web.yaml` */
export function findingFilePath(file: string, outputDir: string = DEFAULT_MANIFESTS_DIRECTORY): string {
  const prefix = outputDir.replace(/\\/g, '/').replace(/\/+$/, '');
  return prefix && prefix !== '.' ? `${prefix}/${file}` : file;
}

/** One line per finding, as compilers print them: `file:line: resource path: message`. */
export function formatFindingText(finding: Finding, outputDir?: string): string {
  const where = finding.line ? `${findingFilePath(finding.file, outputDir)}:${finding.line}` : findingFilePath(finding.file, outputDir);
  return `${where}: ${formatResourceKey(finding.resource)}${finding.path ? ` ${finding.path}` : ''}: ${finding.message} [${finding.rule}]`;
}

export function formatFindingsText(findings: readonly Finding[], outputDir?: string): string {
  return findings.map((finding) => formatFindingText(finding, outputDir)).join('\n');
}

export function formatSkippedText(skipped: readonly SkippedResource[], outputDir?: string): string {
  return skipped
    .map((item) => `${findingFilePath(item.file, outputDir)}: ${formatResourceKey(item.resource)} not validated: ${item.reason}`)
    .join('\n');
}

/** The whole report for a terminal: findings, warnings, skipped resources, then a summary line. */
export function formatReportText(report: ValidationReport, outputDir?: string): string {
  const sections: string[] = [];
  if (report.findings.length) sections.push(formatFindingsText(report.findings, outputDir));
  if (report.warnings.length)
    sections.push(report.warnings.map((warning) => `warning: ${formatFindingText(warning, outputDir)}`).join('\n'));
  if (report.skipped.length) sections.push(formatSkippedText(report.skipped, outputDir));
  if (report.apiServer?.notExercised.length) {
    sections.push(
      [
        `not exercised by the API server (${report.apiServer.notExercised.length}):`,
        ...report.apiServer.notExercised.map((item) => `  ${findingFilePath(item.file, outputDir)}: ${item.reason}`),
      ].join('\n'),
    );
  }
  if (report.apiServer?.rehearsal) sections.push(report.apiServer.rehearsal);
  if (report.images)
    sections.push(
      [
        `${report.images.summary}${report.images.notChecked.length ? `; not checked (${report.images.notChecked.length}):` : '.'}`,
        ...report.images.notChecked.map((item) => `  ${item.registry}: ${item.reason}`),
      ].join('\n'),
    );
  sections.push(summaryLine(report));
  return `${sections.join('\n\n')}\n`;
}

export function summaryLine(report: ValidationReport): string {
  const validated = report.resourceCount - report.skipped.length;
  return (
    `${report.findings.length} finding(s) in ${validated} resource(s) validated against ` +
    `Kubernetes ${report.kubernetesVersion}; ${report.skipped.length} skipped, ${report.warnings.length} ` +
    `warning(s)` +
    (report.apiServer ? `; applied to kube-apiserver ${report.apiServer.version}` : '')
  );
}

/** The report as stable JSON (same report -> same bytes), with `file` relative to the manifests directory. */
export function findingsToJson(report: ValidationReport): string {
  const resourceJson = (resource: Finding['resource']) => ({
    group: resource.group,
    kind: resource.kind,
    ...(resource.namespace !== undefined ? { namespace: resource.namespace } : {}),
    name: resource.name,
  });
  const finding = (item: Finding) => ({
    environment: item.environment,
    release: item.release,
    resource: resourceJson(item.resource),
    apiVersion: item.apiVersion,
    file: item.file,
    ...(item.line !== undefined ? { line: item.line } : {}),
    path: item.path,
    rule: item.rule,
    message: item.message,
  });
  const skipped = (item: SkippedResource) => ({
    environment: item.environment,
    release: item.release,
    resource: resourceJson(item.resource),
    apiVersion: item.apiVersion,
    file: item.file,
    reason: item.reason,
  });
  return `${JSON.stringify(
    {
      kubernetesVersion: report.kubernetesVersion,
      resourceCount: report.resourceCount,
      findings: report.findings.map(finding),
      warnings: report.warnings.map(finding),
      skipped: report.skipped.map(skipped),
      ...(report.apiServer ? { apiServer: report.apiServer } : {}),
      ...(report.images ? { images: report.images } : {}),
    },
    null,
    2,
  )}\n`;
}

/**
 * A GitHub annotation on the manifest file: the action calls `core.error(message, properties)`
 * (or `core.warning` for report.warnings). `file` is relative to the repository root.
 */
export function findingAnnotation(
  finding: Finding,
  outputDir: string = DEFAULT_MANIFESTS_DIRECTORY,
): { message: string; properties: AnnotationProperties } {
  return {
    message: `${formatResourceKey(finding.resource)}${finding.path ? ` ${finding.path}` : ''}: ${finding.message}`,
    properties: {
      title: `${finding.rule} (${finding.environment}/${finding.release})`,
      file: findingFilePath(finding.file, outputDir),
      ...(finding.line !== undefined ? { startLine: finding.line, endLine: finding.line } : {}),
    },
  };
}
