import type { Rule } from '../types';
import instanceFetchFailed from './instance-fetch-failed';
import buildFailed from './build-failed';
import applyFailed from './apply-failed';
import healthCheckFailed from './health-check-failed';
import resourcesetDependencyNotReady from './resourceset-dependency-not-ready';
import inputProviderAuthFailed from './input-provider-auth-failed';
import inputProviderFailed from './input-provider-failed';
import configInvalid from './config-invalid';
import healthChecksCanceled from './health-checks-canceled';
import versionOutdated from './version-outdated';

export const OPERATOR_RULES: Rule[] = [
  instanceFetchFailed,
  buildFailed,
  applyFailed,
  healthCheckFailed,
  resourcesetDependencyNotReady,
  inputProviderAuthFailed,
  inputProviderFailed,
  configInvalid,
  healthChecksCanceled,
  versionOutdated,
];
