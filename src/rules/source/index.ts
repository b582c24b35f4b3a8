import type { Rule } from '../types';
import artifactGeneratorSourceNotReady from './artifact-generator-source-not-ready';
import bucketRegionMismatch from './bucket-region-mismatch';
import gitAuthFailed from './git-auth-failed';
import gitHostKeyMismatch from './git-host-key-mismatch';
import gitIncludeUnavailable from './git-include-unavailable';
import gitRefNotFound from './git-ref-not-found';
import gitRepositoryEmpty from './git-repository-empty';
import gitRepositoryNotFound from './git-repository-not-found';
import gitServerMessage from './git-server-message';
import gitSubmoduleFailed from './git-submodule-failed';
import helmChartBuildFailed from './helm-chart-build-failed';
import helmChartPullFailed from './helm-chart-pull-failed';
import helmChartSourceNotReady from './helm-chart-source-not-ready';
import helmChartVersionNotFound from './helm-chart-version-not-found';
import helmIndexInvalid from './helm-index-invalid';
import ociArtifactNotFound from './oci-artifact-not-found';
import ociLayerInvalid from './oci-layer-invalid';
import sourceCredentialsRejected from './source-credentials-rejected';
import sourceProviderAuthFailed from './source-provider-auth-failed';
import sourceSecretInvalid from './source-secret-invalid';
import sourceStale from './source-stale';
import sourceStorageFailed from './source-storage-failed';
import sourceServerIncompatible from './source-server-incompatible';
import sourceUnreachable from './source-unreachable';
import sourceUrlInvalid from './source-url-invalid';
import sourceUrlNotFound from './source-url-not-found';
import sourceVerificationFailed from './source-verification-failed';

// Every failure of a source is classified once (classify.ts) into exactly one class; each rule takes its classes, so
// no two of these rules speak for the same failure. FD222 (source-stale) is deliberately complementary: it adds how
// long the source has been stale to the specific finding, and is the finding itself when no class fits.
export const SOURCE_RULES: Rule[] = [
  gitAuthFailed, // FD201
  gitHostKeyMismatch, // FD202
  gitRefNotFound, // FD203
  gitRepositoryNotFound, // FD204
  gitRepositoryEmpty, // FD205
  sourceUnreachable, // FD206
  sourceSecretInvalid, // FD207
  sourceCredentialsRejected, // FD208
  sourceProviderAuthFailed, // FD209
  sourceUrlInvalid, // FD210
  sourceUrlNotFound, // FD211
  ociArtifactNotFound, // FD212
  ociLayerInvalid, // FD213
  sourceVerificationFailed, // FD214
  helmChartVersionNotFound, // FD215
  helmChartPullFailed, // FD216
  helmChartBuildFailed, // FD217
  helmChartSourceNotReady, // FD218
  helmIndexInvalid, // FD219
  gitIncludeUnavailable, // FD220
  sourceStorageFailed, // FD221
  sourceStale, // FD222
  artifactGeneratorSourceNotReady, // FD223
  gitSubmoduleFailed, // FD224
  gitServerMessage, // FD225
  bucketRegionMismatch, // FD226
  sourceServerIncompatible, // FD227
];
