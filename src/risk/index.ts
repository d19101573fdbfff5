export { analyzeRisks, compareRisks, type RiskAnalysisInput } from './analyze.js';
export { celRisks, CelRuleEvaluator } from './cel-rules.js';
export { configRisks, structuralDiff, structured } from './config-references.js';
export { crdVersionRisks } from './crd-versions.js';
export {
  blockingRisks,
  DEFAULT_ALLOW_RISK_LABEL,
  DEFAULT_BLOCK_ON_RISK,
  describeBlockingRisks,
  RISK_THRESHOLDS,
  type RiskThreshold,
} from './gate.js';
export { generatedValueRisks, type GeneratedValueSignal } from './generated-values.js';
export { immutableFieldRisks, namespaceChangeRisks, REPLACE_SYNC_OPTION } from './immutable-fields.js';
export { matchResources, ResourcePair } from './resource-pairs.js';
export { SEVERITY_ORDER, type Risk, type RiskRule, type RiskSeverity } from './types.js';
export { majorVersion, workloadRisks } from './workload-signals.js';
export { apiServerRisks, withServerVerdict } from './api-server-refusals.js';
export { admissionWebhookRisks } from './admission-webhooks.js';
export { exposureRisks } from './exposure.js';
export { DEFAULT_POD_SECURITY_LEVEL, isPodSecurityLevel, POD_SECURITY_ENFORCE_LABEL, podSecurityRisks } from './pod-security.js';
export {
  LATEST_POLICY_VERSION,
  POD_SECURITY_CHECKS,
  POD_SECURITY_LEVELS,
  podSecurityViolations,
  type PodSecurityLevel,
  type PolicyVersion,
} from './pod-security-checks.js';
export { normalizeCapability, privilegeRisks, privilegesOf } from './privileges.js';
export { rbacRisks } from './rbac.js';
