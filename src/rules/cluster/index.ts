import type { Rule } from '../types';
import clusterUnreachable from './cluster-unreachable';
import fluxNotInstalled from './flux-not-installed';
import collectionForbidden from './collection-forbidden';
import collectionNotFound from './collection-not-found';
import collectionIncomplete from './collection-incomplete';
import controllerUnhealthy from './controller-unhealthy';
import controllerSaturated from './controller-saturated';
import clusterDnsFailing from './cluster-dns-failing';
import artifactServerUnreachable from './artifact-server-unreachable';
import sharedSecretFailing from './shared-secret-failing';
import sharedHostFailing from './shared-host-failing';
import tlsIntercepted from './tls-intercepted';
import helmIndexDroppedVersions from './helm-index-dropped-versions';
import lockdownFlags from './lockdown-flags';
import clockSkew from './clock-skew';
import sharedWorkloadCause from './shared-workload-cause';

export const CLUSTER_RULES: Rule[] = [clusterUnreachable, fluxNotInstalled, collectionForbidden, collectionNotFound, collectionIncomplete, controllerUnhealthy, controllerSaturated, clusterDnsFailing, artifactServerUnreachable, sharedSecretFailing, sharedHostFailing, tlsIntercepted, helmIndexDroppedVersions, lockdownFlags, clockSkew, sharedWorkloadCause];
