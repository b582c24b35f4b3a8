// Helm v4 pkg/kube Client.Update refuses apply options that exclude each other: `invalid operation: cannot use force
// conflicts and force replace together` (and `… server-side apply and force replace …`). helm-controller v1.5.0–v1.5.3
// (Flux 2.8.0–2.8.5) forces conflicts whenever it applies server-side and passed spec.upgrade.force /
// spec.rollback.force as force replace as well (fluxcd/helm-controller#1453); v1.5.4 (Flux 2.8.6) drops force under
// server-side apply. No retry or `reconcile --force` changes the options: the spec must.
import type { RuleHit } from '../types';

export const FORCE_WITH_SSA = /invalid operation: cannot use (?:force conflicts|server-side apply) and force replace together/;

export function forceWithSsaHint(section: 'upgrade' | 'rollback'): Partial<RuleHit> {
  return {
    title: `spec.${section}.force cannot be combined with server-side apply (Helm 4)`,
    explanation: `helm-controller applies the release server-side (Helm 4, Flux 2.8+; spec.${section}.serverSideApply auto or enabled) and then always forces field conflicts, while spec.${section}.force asks Helm to replace objects: Helm 4 refuses the two together before applying anything, so every ${section} fails the same way and retrying cannot help. Server-side apply already takes over conflicting fields, so remove spec.${section}.force, or keep replacing objects client-side with spec.${section}.serverSideApply: disabled. helm-controller v1.5.0–v1.5.3 (Flux 2.8.0–2.8.5) have this problem (fluxcd/helm-controller#1453); v1.5.4 (Flux 2.8.6) and later ignore force under server-side apply.`,
    remediation: [
      { description: `See spec.${section}.force and spec.${section}.serverSideApply (empty means auto: server-side when the previous revision was applied server-side)`, command: `kubectl --context {context} -n {namespace} get helmrelease {name} -o jsonpath='{.spec.${section}.force}{" "}{.spec.${section}.serverSideApply}{"\\n"}'` },
      { description: `In Git, remove spec.${section}.force, or set spec.${section}.serverSideApply: disabled to keep replacing objects client-side` },
      { description: 'Or upgrade Flux: helm-controller v1.5.4 (Flux 2.8.6) and later ignore force under server-side apply', command: 'flux --context {context} check' },
      { description: 'Run the release again once the spec changed (a new generation resets the failure counters)', command: 'flux --context {context} reconcile helmrelease {name} -n {namespace}' },
    ],
    replaceRemediation: true,
  };
}
