// `Could not determine release state: unable to determine cluster state: <err>` (helm-controller
// internal/reconcile/state.go, 2.2+) is the error of the drift detection diff (internal/action/diff.go), which runs
// only with spec.driftDetection.mode enabled or warn: a server-side apply dry-run of each release object (fluxcd/pkg
// ssa/jsondiff, errors aggregated), rejected as `<Kind>/[<ns>/]<name> dry-run failed[ (<Reason>)]: <API error>`
// (fluxcd/pkg ssa/errors). JSON pointers of spec.driftDetection.ignore are removed after the dry-run: only the root
// pointer "" or a helm.toolkit.fluxcd.io/driftDetection: disabled label/annotation on the object skip it.
import type { RuleHit } from '../types';

const DRY_RUN = /([A-Za-z]+\/(?:[^/\s,[\]]+\/)?[^/\s,[\]]+) dry-run failed(?: \((\w+)\))?: ([^\n]*)/;

export function clusterStateHint(tail: string): Partial<RuleHit> {
  const m = tail.match(DRY_RUN);
  const ref = m?.[1];
  const reason = m?.[2];
  const steps = [
    { description: 'See the drift detection settings of the release', command: 'kubectl --context {context} -n {namespace} get helmrelease {name} -o jsonpath=\'{.spec.driftDetection}{"\\n"}\'' },
    ...(ref ? [{ description: `Render the chart with the same values and look at ${ref}: helm template {releaseName} <chart> --version <version> -f values.yaml` }] : []),
    { description: `In Git, fix the values or the chart${ref ? ` so ${ref} is valid` : ''}; meanwhile exclude ${ref ?? 'the object'} from drift detection (label or annotation helm.toolkit.fluxcd.io/driftDetection: disabled on it, or a spec.driftDetection.ignore rule with paths [""] and a target selecting it), or set spec.driftDetection.mode: disabled` },
    { description: 'Read the errors helm-controller logged for this release', command: 'flux --context {context} logs --kind=HelmRelease --name={name} -n {namespace} --level=error' },
    { description: 'Retry once fixed', command: 'flux --context {context} reconcile helmrelease {name} -n {namespace}' },
  ];
  if (!m) {
    return {
      explanation: 'Before each reconciliation helm-controller compares the objects of the release with the cluster (drift detection: spec.driftDetection.mode enabled or warn, Flux 2.2+), and that comparison failed, so nothing is upgraded or corrected until it works. The error says which object or request failed.',
      remediation: steps,
      replaceRemediation: true,
    };
  }
  return {
    title: `Drift detection cannot dry-run ${ref}: the API server rejects it${reason ? ` (${reason})` : ''}`,
    explanation: `Before each reconciliation helm-controller compares the objects of the release with the cluster (drift detection: spec.driftDetection.mode enabled or warn, Flux 2.2+) by a server-side apply dry-run of each object as the chart rendered it,, and the API server refused ${ref} (the error is quoted below). ${reason === 'Invalid' ? 'The chart (with these values) renders an object the API server considers invalid when applied server-side (e.g. a null where the schema wants a list), even if it was accepted when Helm created it.' : 'The API server would refuse that object as rendered.'} Nothing is upgraded or corrected until it passes: fix the values or the chart; meanwhile exclude the object from drift detection or disable it. An ignore rule with a JSON pointer into the object does not help: those fields are removed only after the dry-run.`,
    remediation: steps,
    replaceRemediation: true,
  };
}
