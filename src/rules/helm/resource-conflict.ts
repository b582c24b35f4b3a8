import { releaseFailureRule } from './failure';
import { fluxCrdHint } from './generic-hints';

export default releaseFailureRule({
  code: 'FD410',
  slug: 'helm-resource-conflict',
  category: 'apply-conflict',
  severity: 'error',
  kinds: ['HelmRelease'],
  title: 'Object already exists outside this Helm release',
  signals: [
    'Released=False InstallFailed/UpgradeFailed: … <err>, where <err> is',
    '… rendered manifests contain a resource that already exists. Unable to continue with install: … (Helm < 3.13)',
    '… Unable to continue with install|update: <Kind> "<name>" in namespace "<ns>" exists and cannot be imported into the current release: invalid ownership metadata; label validation error: … (Helm ≥ 3.13; lower-case "unable" in Helm v4)',
    'a CustomResourceDefinition "<plural>.<group>.toolkit.fluxcd.io": the chart ships Flux\'s own CRDs (drop them: crds: Skip)',
    '(a field owned by another manager of an object that belongs to the release, Helm v4 `conflict occurred while applying object …`, is FD431)',
  ],
  explanation: 'The chart renders an object that already exists in the cluster but does not belong to this Helm release: it was created by hand, by a Kustomization, or by another release (its meta.helm.sh/release-name annotation names another one). Helm refuses to take it over, so the install or upgrade stops. helm-controller 2.5+ takes ownership by default unless install/upgrade.disableTakeOwnership is set. When the object is the Namespace itself, do not template it in the chart: let install.createNamespace: true create it.',
  remediation: [
    { description: 'See who owns {conflictRef} (labels, Helm annotations, Flux labels)', command: 'kubectl --context {context} -n {conflictNamespace} get {conflictResource} {conflictName} -o jsonpath=\'{.metadata.labels}{"\\n"}{.metadata.annotations}\'' },
    { description: 'Adopt it into this release: set the Helm ownership label and annotations', command: 'kubectl --context {context} -n {conflictNamespace} label {conflictResource} {conflictName} app.kubernetes.io/managed-by=Helm --overwrite && kubectl --context {context} -n {conflictNamespace} annotate {conflictResource} {conflictName} meta.helm.sh/release-name={releaseName} meta.helm.sh/release-namespace={releaseNamespace} --overwrite' },
    { description: 'Or remove it from the other owner (another Kustomization or release must stop applying it), or delete it if nothing else needs it' },
    { description: 'Run the release again', command: 'flux --context {context} reconcile helmrelease {name} -n {namespace} {forceFlag}' },
  ],
  classes: ['conflict'],
  enrich(_obj, _ctx, failure, vars) {
    const extra: Record<string, string> = {};
    const m = failure.tail.match(/(\w+) "([^"]+)" in namespace "([^"]*)" exists and cannot be imported/) ?? failure.tail.match(/(\w+) "([^"]+)" exists and cannot be imported/);
    if (!m) return { vars: extra };
    const [, kind, name, ns] = m;
    extra.conflictRef = ns ? `${kind}/${ns}/${name}` : `${kind}/${name}`;
    extra.conflictResource = kind!.toLowerCase();
    extra.conflictName = name!;
    extra.conflictNamespace = ns || vars.releaseNamespace || '';
    // Flux's own CRDs belong to the Flux installation: taking them over is never the fix.
    if (kind === 'CustomResourceDefinition' && /\.toolkit\.fluxcd\.io$/.test(name!)) return { vars: extra, ...fluxCrdHint(name!) };
    const other = failure.tail.match(/key "meta\.helm\.sh\/release-name" must equal "[^"]+": current value is "([^"]+)"/);
    return { vars: extra, title: `${extra.conflictRef} already exists outside this release${other ? ` (owned by release ${other[1]})` : ''}` };
  },
});
