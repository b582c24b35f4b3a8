// Contract constants without zod, so that paths which only produce reports do not load the schema library.
export const REPORT_API_VERSION = 'fluxdiag/v1';

export const CATEGORIES = [
  'source-auth', 'source-unreachable', 'source-ref-not-found', 'source-verification-failed', 'source-stale',
  'chart-not-found', 'path-not-found', 'build-failed', 'manifest-malformed', 'dependency-not-ready',
  'health-check-failed', 'validation-failed', 'crd-missing', 'immutable-field', 'apply-conflict', 'namespace-missing',
  'substitution-failed', 'decryption-failed', 'prune-failed', 'helm-install-failed', 'helm-upgrade-failed',
  'helm-retries-exhausted', 'helm-hook-failed', 'helm-operation-pending', 'helm-values-invalid', 'helm-test-failed',
  'access-denied', 'reconcile-stuck', 'suspended', 'controller-unhealthy', 'flux-not-installed', 'cluster-unreachable',
  'notification-failed', 'image-automation-failed', 'unknown',
] as const;

export const SEVERITIES = ['error', 'warning', 'info'] as const;
