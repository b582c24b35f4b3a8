// How long a controller lets one reconciliation attempt run. Every rule that asks "has this taken longer than it
// may?" or proposes "raise spec.timeout (now …)" reads it here, so they agree with each other and with the
// controllers' own defaults.
import { fluxKind } from '../flux/kinds';
import type { KubeObject } from '../snapshot/schema';
import { formatDuration, parseDuration } from './util';

/** helm-controller's default for spec.timeout (and each action's). */
export const HELM_DEFAULT_TIMEOUT_MS = 5 * 60_000;
/** source-controller's default for spec.timeout (Git, OCI, Helm repositories, Buckets). */
const SOURCE_DEFAULT_TIMEOUT_MS = 60_000;

export type HelmAction = 'install' | 'upgrade' | 'rollback' | 'uninstall' | 'test';

export interface Timeout {
  ms: number;
  /** For remediation text: `10m`, or `9m30s (default: spec.interval − 30s)`. */
  text: string;
}

/**
 * kustomize-controller: spec.timeout, else spec.interval − 30s and at least 30s (API v1beta2 and v1). The v1beta1
 * controllers (Flux before 0.18) used spec.interval and at least 1m, spec.timeout included; the object's apiVersion
 * is the best hint of them an offline dump has.
 */
export function kustomizationTimeout(ks: KubeObject): Timeout | null {
  const own = parseDuration(ks.spec?.timeout);
  const interval = parseDuration(ks.spec?.interval);
  if (/\/v1beta1$/.test(ks.apiVersion ?? '')) {
    if (own === null && interval === null) return null;
    const ms = Math.max(own ?? interval!, 60_000);
    return { ms, text: own !== null ? String(ks.spec.timeout) : `${formatDuration(ms)} (default: spec.interval)` };
  }
  if (own !== null) return { ms: own, text: String(ks.spec.timeout) };
  if (interval === null) return null;
  const ms = Math.max(interval - 30_000, 30_000);
  return { ms, text: `${formatDuration(ms)}: spec.interval − 30s, the default` };
}

/** helm-controller: spec.<action>.timeout, else spec.timeout, else 5m. */
export function helmTimeout(hr: KubeObject, action?: HelmAction): Timeout {
  const perAction = action ? parseDuration(hr.spec?.[action]?.timeout) : null;
  if (perAction !== null) return { ms: perAction, text: `${hr.spec[action!].timeout}, from spec.${action}.timeout` };
  const own = parseDuration(hr.spec?.timeout);
  if (own !== null) return { ms: own, text: String(hr.spec.timeout) };
  return { ms: HELM_DEFAULT_TIMEOUT_MS, text: '5m0s (default)' };
}

/** The timeout one reconciliation attempt of this object should stay within, as its controller applies it. */
export function attemptTimeout(obj: KubeObject): number {
  if (obj.kind === 'Kustomization') return kustomizationTimeout(obj)?.ms ?? 5 * 60_000;
  if (obj.kind === 'HelmRelease') return helmTimeout(obj).ms;
  const own = parseDuration(obj.spec?.timeout);
  if (own !== null) return own;
  if (fluxKind(obj.kind)?.family === 'source') return SOURCE_DEFAULT_TIMEOUT_MS;
  return parseDuration(obj.spec?.interval) ?? 5 * 60_000;
}
