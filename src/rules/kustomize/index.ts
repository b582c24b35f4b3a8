import type { Rule } from '../types';
import accessBlocked from './access-blocked';
import applyConflict from './apply-conflict';
import applyForbidden from './apply-forbidden';
import applyTimeout from './apply-timeout';
import artifactDownloadFailed from './artifact-download-failed';
import buildFailed from './build-failed';
import crdMissing from './crd-missing';
import decryptionFailed from './decryption-failed';
import dependencyNotReady from './dependency-not-ready';
import driftCorrected from './drift-corrected';
import healthCheckCanceled from './health-check-canceled';
import healthCheckFailed from './health-check-failed';
import immutableField from './immutable-field';
import invalidCelExpression from './invalid-cel-expression';
import inventoryOverlap from './inventory-overlap';
import manifestMalformed from './manifest-malformed';
import namespaceMissing from './namespace-missing';
import pathNotFound from './path-not-found';
import pruneFailed from './prune-failed';
import sourceNotReady from './source-not-ready';
import staleRevision from './stale-revision';
import substitutionFailed from './substitution-failed';
import tmpDirFailed from './tmp-dir-failed';
import validationFailed from './validation-failed';
import workloadsNotStarting from './workloads-not-starting';

/** Kustomization rules, FD300–FD399 (FD301 also covers HelmRelease DependencyNotReady). */
export const KUSTOMIZE_RULES: Rule[] = [
  dependencyNotReady, // FD301
  sourceNotReady, // FD302
  artifactDownloadFailed, // FD303
  pathNotFound, // FD304
  buildFailed, // FD305
  manifestMalformed, // FD306
  decryptionFailed, // FD307
  substitutionFailed, // FD308
  crdMissing, // FD309
  immutableField, // FD310
  validationFailed, // FD311
  applyConflict, // FD312
  namespaceMissing, // FD313
  applyForbidden, // FD314
  applyTimeout, // FD315
  pruneFailed, // FD316
  healthCheckFailed, // FD317
  healthCheckCanceled, // FD318
  accessBlocked, // FD319
  invalidCelExpression, // FD320
  staleRevision, // FD321
  inventoryOverlap, // FD322
  driftCorrected, // FD323
  tmpDirFailed, // FD324
  workloadsNotStarting, // FD325
];
