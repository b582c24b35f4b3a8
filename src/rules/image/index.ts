import type { Rule } from '../types';
import repositoryScanFailed from './repository-scan-failed';
import repositoryAuthFailed from './repository-auth-failed';
import imageUrlInvalid from './image-url-invalid';
import policyDependencyNotReady from './policy-dependency-not-ready';
import policyInvalid from './policy-invalid';
import policyNoMatch from './policy-no-match';
import updatePushFailed from './update-push-failed';
import updateCheckoutFailed from './update-checkout-failed';
import updateSourceFailed from './update-source-failed';
import accessDenied from './access-denied';
import updateConfigInvalid from './update-config-invalid';
import updateApplyFailed from './update-apply-failed';
import repositoryExclusionInvalid from './repository-exclusion-invalid';
import repositoryStoreFailed from './repository-store-failed';
import policyDigestFetchFailed from './policy-digest-fetch-failed';
import featureGateDisabled from './feature-gate-disabled';

export const IMAGE_RULES: Rule[] = [
  repositoryScanFailed,
  repositoryAuthFailed,
  imageUrlInvalid,
  policyDependencyNotReady,
  policyInvalid,
  policyNoMatch,
  updatePushFailed,
  updateCheckoutFailed,
  updateSourceFailed,
  accessDenied,
  updateConfigInvalid,
  updateApplyFailed,
  repositoryExclusionInvalid,
  repositoryStoreFailed,
  policyDigestFetchFailed,
  featureGateDisabled,
];
