import { genericHint } from './generic-hints';
import { releaseFailureRule } from './failure';

export default releaseFailureRule({
  code: 'FD407',
  slug: 'helm-install-failed',
  category: 'helm-install-failed',
  severity: 'error',
  kinds: ['HelmRelease'],
  title: 'Helm install failed',
  signals: [
    'Released=False InstallFailed (Ready copies it): Helm install failed for release <ns>/<name> with chart <chart>@<version>: <err> (2.2+; `Helm install failed: <err>` in 2.1 and older)',
    'only when <err> is none of the cases with their own rule (hooks, timeouts, conflicts, CRDs, removed APIs, admission webhooks, unreachable API, immutable fields, namespaces, RBAC, rendering, pending operations)',
    'sharper title and first step for: chart requires kubeVersion … which is incompatible with Kubernetes …, error while running post render on … (a patch target the chart does not render, a patch given as a file name: `trouble configuring builtin <Transformer> … doesn\'t exist`, a JSON 6902 operation on a missing path: `doc is missing path`, a duplicate resource id), Secret "sh.helm.release.v1.…" is invalid: data: Too long, failed to apply CustomResourceDefinitions: …, <Kind> "<name>" is invalid: <field>: Required value|Invalid value|Unsupported value (a Service nodePort: `provided port is already allocated` / `is not in the valid range`), failed to allocate requested HealthCheck NodePort <port>: provided port is already allocated, cannot re-use a name that is still in use, ValidatingAdmissionPolicy \'<policy>\' [with binding \'<binding>\'] denied request: … (in the chart\'s objects or, within failed to apply CustomResourceDefinitions, its CRDs: Gateway API\'s safe-upgrades.gateway.networking.k8s.io refuses older bundled Gateway API CRDs), pods "<pod>" is forbidden: violates PodSecurity "<level>:<version>": … (a bare Pod of the chart refused by the namespace\'s Pod Security level), failed to create typed patch object (…): <path>: expected string, got &value.valueUnstructured{Value:true} (Helm 4: an unquoted boolean or number in a string field), <path>.env[<i>].valueFrom: Invalid value: "": may not be specified when `value` is not empty (a merge left value next to valueFrom), <resource> "<name>" is forbidden: exceeded quota: <quota>, requested: … (ResourceQuota admission, not RBAC), failed to create typed patch object (…): <path>: duplicate entries for key [<key>] (Helm 4 server-side apply) / The order in patch list: … doesn\'t match $setElementOrder list: … (Helm 3 strategic merge): a keyed list entry rendered twice, cannot patch "<plural>.<group>.toolkit.fluxcd.io" with kind CustomResourceDefinition (the chart ships Flux\'s own CRDs), "<crd>" is invalid: status.storedVersions[<i>]: Invalid value: "<v>": missing from spec.versions|must appear in spec.versions (a CRD upgrade dropping a stored version: migrate first; Flux\'s own CRDs: flux migrate), release: already exists (Helm\'s storage found the revision written by another writer: two helm-controllers or a manual helm command racing)',
    'Ready=False UninstallSucceeded (Remediated=True) with no Helm error left in Released, unless Released=True or TestSuccess=False (failed tests: FD421)',
    'Warning event InstallFailed with the "Last Helm logs"',
  ],
  explanation: 'The first installation of the chart failed. The Helm error in the message (and the "Last Helm logs" of the InstallFailed event) says why. By default (spec.install.remediation.retries: 0) helm-controller leaves the failed release in place and stops; with retries set it uninstalls the failed release and tries again until they are used up (and uninstalls after the last failure only with remediateLastFailure: true).',
  remediation: [
    { description: 'Read the InstallFailed events and their "Last Helm logs"', command: 'flux --context {context} events --for HelmRelease/{name} -n {namespace}' },
    { description: 'See the Helm release history (status and description of each revision)', command: 'helm --kube-context {context} history {releaseName} -n {storageNamespace}' },
    { description: 'See the objects of the release and their events', command: 'kubectl --context {context} -n {releaseNamespace} get all,events --sort-by=.metadata.creationTimestamp' },
    { description: 'Fix the cause in Git, then install again', command: 'flux --context {context} reconcile helmrelease {name} -n {namespace} {forceFlag}' },
    { description: 'List every HelmRelease that is not ready (a Kustomization that applies a HelmRelease stays Ready when the release fails)', command: 'flux --context {context} get helmreleases -A --status-selector ready=false' },
  ],
  classes: ['generic'],
  actions: ['install'],
  remediatedReason: 'UninstallSucceeded',
  enrich: (obj, _ctx, failure) => genericHint(failure, obj),
});
