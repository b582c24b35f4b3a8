import type { Rule } from '../types';
import applyForbidden from './apply-forbidden';
import chartNotReady from './chart-not-ready';
import chartRenderFailed from './chart-render-failed';
import chartStale from './chart-stale';
import chartUnavailable from './chart-unavailable';
import crdMissing from './crd-missing';
import driftDetected from './drift-detected';
import hookFailed from './hook-failed';
import immutableField from './immutable-field';
import installFailed from './install-failed';
import invalidCelExpression from './invalid-cel-expression';
import namespaceMissing from './namespace-missing';
import noDeployedRelease from './no-deployed-release';
import operationPending from './operation-pending';
import resourceConflict from './resource-conflict';
import restClientFailed from './rest-client-failed';
import retriesExhausted from './retries-exhausted';
import rollbackFailed from './rollback-failed';
import sourceAccessDenied from './source-access-denied';
import healthCheckCanceled from './health-check-canceled';
import testFailed from './test-failed';
import uninstallRemediationFailed from './uninstall-remediation-failed';
import upgradeFailed from './upgrade-failed';
import valuesReferenceMissing from './values-reference-missing';
import waitTimeout from './wait-timeout';
import webhookUnavailable from './webhook-unavailable';
import webhookDenied from './webhook-denied';
import kubeApiUnavailable from './kube-api-unavailable';
import removedApi from './removed-api';
import releaseStateUnknown from './release-state-unknown';
import deletionUninstallFailed from './deletion-uninstall-failed';
import fieldConflict from './field-conflict';
import chartVersionMismatch from './chart-version-mismatch';
import workloadsNotStarting from './workloads-not-starting';

export const HELM_RULES: Rule[] = [
  chartNotReady, // FD400
  chartUnavailable, // FD401
  sourceAccessDenied, // FD402
  restClientFailed, // FD403
  invalidCelExpression, // FD404
  valuesReferenceMissing, // FD405
  chartRenderFailed, // FD406
  installFailed, // FD407
  upgradeFailed, // FD408
  waitTimeout, // FD409
  resourceConflict, // FD410
  crdMissing, // FD411
  immutableField, // FD412
  namespaceMissing, // FD413
  applyForbidden, // FD414
  hookFailed, // FD415
  noDeployedRelease, // FD416
  retriesExhausted, // FD417
  rollbackFailed, // FD418
  uninstallRemediationFailed, // FD419
  operationPending, // FD420
  testFailed, // FD421
  driftDetected, // FD422
  chartStale, // FD423
  healthCheckCanceled, // FD424
  webhookUnavailable, // FD425
  webhookDenied, // FD426
  kubeApiUnavailable, // FD427
  removedApi, // FD428
  releaseStateUnknown, // FD429
  deletionUninstallFailed, // FD430
  fieldConflict, // FD431
  chartVersionMismatch, // FD432
  workloadsNotStarting, // FD433
];
