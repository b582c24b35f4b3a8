// Helm errors with a known remedy that stay within the generic install/upgrade rules (FD407/FD408): the same kind of
// finding, with a sharper title, explanation and first step. Wording from helm/helm pkg/action (v3 and v4) and
// helm-controller internal/action.
import { releaseNames } from '../../flux/helm';
import type { KubeObject } from '../../snapshot/schema';
import type { RuleHit } from '../types';
import type { ReleaseFailure } from './failure';
import { ORDER_MISMATCH, orderMismatchHint, TYPED_DUPLICATE, typedDuplicateHint } from './duplicate-key-hint';
import { FORCE_WITH_SSA, forceWithSsaHint } from './force-hint';
import { invalidObjectHint } from './invalid-object-hint';
import { HEALTH_CHECK_PORT_TAKEN, nodePortHint } from './node-port-hint';
import { postRenderHint } from './post-render-hint';
import { POD_SECURITY, podSecurityHint } from './pod-security-hint';
// The API server's ResourceQuota admission error is the same whoever applies: read once, for both families.
import { ENV_VALUE_AND_VALUE_FROM, envValueFromHint, QUOTA_EXCEEDED, quotaHint, TYPED_MISMATCH, typedMismatchHint } from '../apiserver-hints';

interface Hint {
  test: RegExp;
  hit(m: RegExpMatchArray, failure: ReleaseFailure, hr: KubeObject): Partial<RuleHit>;
}

const HINTS: Hint[] = [
  {
    // pkg/action/action.go: `chart requires kubeVersion: <constraint> which is incompatible with Kubernetes <version>`.
    test: /chart requires kubeVersion: (.+?) which is incompatible with Kubernetes (\S+)/,
    hit: (m) => ({
      title: `Chart requires Kubernetes ${m[1]}, the cluster runs ${m[2]}`,
      explanation: 'The chart declares a kubeVersion constraint in its Chart.yaml and the target cluster\'s version is outside it, so Helm refuses to render it. Pick a chart version that supports this Kubernetes version (spec.chart.spec.version), or upgrade the cluster first.',
      remediation: [{ description: `Set spec.chart.spec.version in Git to a chart version whose kubeVersion includes ${m[2]} (see the chart's Chart.yaml or release notes)` }],
    }),
  },
  {
    test: FORCE_WITH_SSA,
    hit: () => forceWithSsaHint('upgrade'),
  },
  {
    // Helm 4 server-side apply: a value of the wrong type for the schema (see kustomize/apply-hints).
    test: TYPED_MISMATCH,
    hit: (m) => typedMismatchHint(m, 'in the values (quote it, or use `| quote` in the template; with helm --set, --set-string)'),
  },
  {
    test: TYPED_DUPLICATE,
    hit: (m, failure) => typedDuplicateHint(m, failure),
  },
  {
    test: ORDER_MISMATCH,
    hit: (m, failure) => orderMismatchHint(m, failure.tail),
  },
  {
    // Helm v3 `error while running post render on files: …`; Helm v4 also `… on <group>: …`. helm-controller always
    // post-renders (origin labels, commonMetadata), so the error is spec.postRenderers' only when it is set or the
    // error is a missing patch target.
    // The Kustomize error may span lines (it quotes the transformer config).
    test: /error while running post render on \S+: ([\s\S]*)/,
    hit: (m, _failure, hr) => postRenderHint(m[1]!.trim(), hr),
  },
  {
    // helm-controller refuses spec.install.crds and the deprecated spec.install.skipCRDs when they disagree.
    test: /Contradicting CRDs installation settings, skipCRDs is set to (true|false) and crds is set to (\w+)/,
    hit: (m) => ({
      title: `spec.install.crds: ${m[2]} contradicts spec.install.skipCRDs (${m[1]}, its default)`,
      explanation: `helm-controller refuses to choose between spec.install.crds (${m[2]}) and the deprecated spec.install.skipCRDs, which defaults to false, so the install never starts. Set skipCRDs to agree (skipCRDs: true with crds: Skip) or remove crds; the same holds for spec.upgrade.`,
      remediation: [{ description: `In Git, set spec.install.skipCRDs: ${m[2] === 'Skip' ? 'true' : 'false'} next to crds: ${m[2]} on HelmRelease {name} (or drop one of the two)` }],
    }),
  },
  {
    // Helm's release name validation: DNS-1123 and at most 53 characters (room for the revision suffix of its Secrets).
    test: /release name "([^"]+)": invalid release name, must match regex [^\n]*? and the length must not be longer than (\d+)/,
    hit: (m) => ({
      title: `Release name ${m[1]} is ${m[1]!.length} characters: Helm allows at most ${m[2]}`,
      explanation: `Helm refuses release names longer than ${m[2]} characters (or not DNS-1123). The release name is spec.releaseName, or by default <targetNamespace>-<name> when spec.targetNamespace is set, else the HelmRelease's name. Set a shorter spec.releaseName (helm-controller of Flux 2.2 and later also shortens long default names itself, with a hash).`,
      remediation: [{ description: `In Git, set spec.releaseName of HelmRelease {name} to at most ${m[2]} characters (lower case letters, digits, '-' and '.')` }],
    }),
  },
  {
    // The storage Secret of a revision holds the whole chart and values, gzipped: over 1 MiB the API server refuses it.
    test: /Secret "(sh\.helm\.release\.v1\.[^"]+)" is invalid: data: Too long/,
    hit: (m) => ({
      title: `Helm release record ${m[1]} is larger than the 1 MiB Secret limit`,
      explanation: 'Helm stores every revision (the chart with all its files, plus the values) in a Secret, and this one exceeds the 1 MiB limit of Kubernetes objects, so the install or upgrade cannot be recorded. Large files shipped in the chart (dashboards, CRDs, test data) are the usual cause: keep them out with .helmignore, move them to ConfigMaps managed elsewhere, or split the chart.',
      remediation: [{ description: 'See the size of the stored revisions', command: 'kubectl --context {context} -n {storageNamespace} get secrets -l owner=helm,name={releaseName} -o json | jq -r \'.items[] | "\\(.metadata.name) \\(.data.release | length)"\'' }],
    }),
  },
  {
    // apiextensions validation of a CRD update that drops a version objects are still stored in
    // (`status.storedVersions[i]: Invalid value: "<v>": missing from spec.versions`; older API servers: `must appear in
    // spec.versions`). Before the Flux-CRD hint: the Flux installation's own chart hits it when a Flux release drops an
    // API version (2.7 dropped v2beta1 HelmReleases), and skipping its CRDs would be wrong.
    test: /"([a-z0-9.-]+)" is invalid: status\.storedVersions\[\d+\]: Invalid value: "([^"]+)": (?:missing from|must appear in) spec\.versions/,
    hit: (m) => storedVersionHint(m[1]!, m[2]!),
  },
  {
    // Helm pkg/kube `cannot <verb> "<name>" with kind CustomResourceDefinition: <err>`: a chart that bundles Flux's
    // CRDs fights the Flux installation that owns them. Before the generic CRD-apply hint, whose remedy (install them
    // separately) is wrong for these.
    test: /cannot (?:patch|create|update|replace) "([a-z0-9.-]+\.toolkit\.fluxcd\.io)" with kind CustomResourceDefinition/,
    hit: (m) => fluxCrdHint(m[1]!),
  },
  {
    // A ValidatingAdmissionPolicy denied one of the chart's CRDs (kube-apiserver, Kubernetes 1.26+: `ValidatingAdmissionPolicy
    // '<policy>' [with binding '<binding>'] denied request: <message>`): a policy guards that CRD group, typically Gateway
    // API's own (v1.5+ installs safe-upgrades.gateway.networking.k8s.io, which refuses older bundles and experimental-channel
    // CRDs over standard ones).
    test: /failed to apply CustomResourceDefinitions: [^\n]*?ValidatingAdmissionPolicy '([^']+)'(?: with binding '([^']+)')?[^\n]*? denied request: ?([^\n]*)/,
    hit: (m) => crdPolicyHint(m[1]!, m[2], m[3]!.trim()),
  },
  {
    // A ValidatingAdmissionPolicy denied an object of the chart.
    test: /ValidatingAdmissionPolicy '([^']+)'(?: with binding '([^']+)')?[^\n]*? denied request: ?([^\n]*)/,
    hit: (m) => ({
      title: `ValidatingAdmissionPolicy ${m[1]} denied an object of the release`,
      explanation: `The ValidatingAdmissionPolicy ${m[1]}${m[2] ? ` (binding ${m[2]})` : ''}, a CEL policy the API server evaluates itself (Kubernetes 1.26+), denied an object the chart renders${m[3] ? `: "${m[3].trim()}"` : ''}. No webhook is involved: change the values so the object complies, or ask the policy's owner for an exception.`,
      remediation: [{ description: `Read the policy ${m[1]}: its validations and matchConstraints`, command: `kubectl --context {context} get validatingadmissionpolicy ${m[1]} -o yaml` }],
    }),
  },
  {
    // helm-controller internal/action install.go/upgrade.go: spec.install/upgrade.crds (Create, CreateReplace).
    test: /failed to apply CustomResourceDefinitions: ([^\n]*)/,
    hit: (m) => ({
      title: 'helm-controller could not apply the chart\'s CRDs',
      explanation: 'helm-controller applies the CRDs of the chart\'s crds/ directory itself, according to spec.install.crds / spec.upgrade.crds (Skip, Create, CreateReplace), and the API server refused one. A CRD too large for the last-applied annotation of a client-side apply ("metadata.annotations: Too long") or an invalid or conflicting CRD are the usual causes: install such CRDs separately (server-side, e.g. from a Kustomization) and set the crds policy to Skip, or fix the CRD.',
      evidence: [`CRD error: ${m[1]}`],
      remediation: [{ description: 'See the CRD policy of the release', command: 'kubectl --context {context} -n {namespace} get helmrelease {name} -o jsonpath=\'{.spec.install.crds}{" "}{.spec.upgrade.crds}\'' }],
    }),
  },
  {
    // Core validation: an env entry with value and valueFrom (see kustomize/apply-hints); Helm v3 names the object
    // `cannot patch "<name>" with kind <Kind>`, in the release namespace.
    test: ENV_VALUE_AND_VALUE_FROM,
    hit: (m, failure, hr) => {
      const o = failure.tail.match(/(\w+)(?:\.[\w.]+)? "([^"]+)" is invalid: [^\n]*?env\[\d+\]\.valueFrom: Invalid value: "": may not be specified/);
      const ns = releaseNames(hr).releaseNamespace;
      return envValueFromHint(m, o ? `${o[1]}/${o[2]}` : 'an object of the release', o ? `-n ${ns} get ${o[1]!.toLowerCase()} ${o[2]}` : null, 'helm');
    },
  },
  {
    // API server validation (apimachinery field errors): `<Kind>.<group> "<name>" is invalid: <path>: Required value`.
    // The path may hold a blank where the server joined an empty segment (`spec.template. labels`, v2beta1 era).
    test: /(\w+)(?:\.[\w.]+)? "([^"]+)" is invalid: ([^:\n]+?): (Required value|Invalid value|Unsupported value)([^\n]*)/,
    hit: (m) => invalidObjectHint(m),
  },
  {
    // pod-security-admission refused a bare Pod of the chart (hooks: FD415, tests: FD421).
    test: POD_SECURITY,
    hit: (m, _failure, hr) => podSecurityHint(m, releaseNames(hr).releaseNamespace, 'The chart\'s Pod'),
  },
  {
    // ResourceQuota admission (see apply-hints): `<resource> "<name>" is forbidden: exceeded quota: …`; Helm v3 names
    // no namespace, the objects go to the release namespace.
    test: QUOTA_EXCEEDED,
    hit: (m, failure, hr) => {
      const obj = failure.tail.match(/(\w+(?:\.[\w.]+)?) "([^"]+)" is forbidden: [Ee]xceeded quota/);
      const hint = quotaHint(m, releaseNames(hr).releaseNamespace, obj ? `${obj[1]} "${obj[2]}"` : 'an object of the release');
      return { ...hint, remediation: [...hint.remediation, { description: 'Then run the release again (after raising the quota or shrinking the request in the values)', command: 'flux --context {context} reconcile helmrelease {name} -n {namespace} {forceFlag}' }] };
    },
  },
  {
    // Not a field error: the API server wraps it as `Internal error occurred: …` and names no Service.
    test: HEALTH_CHECK_PORT_TAKEN,
    hit: (m) => nodePortHint(null, 'spec.healthCheckNodePort', m[1]!, m[0]) ?? {},
  },
  {
    // Helm's storage driver (`release: already exists`, ErrReleaseExists): the Secret of the revision it was about to
    // record already exists, so another writer stored that revision in between: a second helm-controller reconciling
    // the same HelmRelease (shards whose selectors overlap, a second Flux installation, a controller bug) or a person
    // running helm against the release.
    test: /(?:^|: )release: already exists$/,
    hit: () => ({
      title: 'Another writer recorded the same Helm revision at the same time (release: already exists)',
      explanation: 'Helm found the storage record of the revision it was about to write already there: something else upgraded this release concurrently. Usually two helm-controllers reconcile the same HelmRelease (sharded controllers whose --watch-label-selector overlap or that a controller release handles wrongly, or a second Flux installation watching the namespace), or someone ran helm upgrade/rollback by hand. Retrying or --force does not help while the race goes on: make exactly one controller responsible, then reconcile.',
      remediation: [
        { description: 'List every helm-controller in the cluster (two watching this HelmRelease race each other; compare their --watch-label-selector and namespaces)', command: 'kubectl --context {context} get deploy -A -o wide | grep helm-controller' },
        { description: 'See which revisions were written, and when', command: 'helm --kube-context {context} history {releaseName} -n {storageNamespace}' },
      ],
    }),
  },
  {
    // Helm v3 `cannot re-use a name that is still in use`, v4 `cannot reuse …`: a release of that name is already stored.
    test: /cannot re-?use a name that is still in use/,
    hit: () => ({
      title: 'A Helm release with this name already exists',
      explanation: 'Helm found a release with this name in the storage namespace that this HelmRelease does not know (installed by hand, by another HelmRelease with the same releaseName, or left behind when the storage namespace or release name changed), so it refuses to install over it. Uninstall the other release, or give this one another spec.releaseName.',
      remediation: [{ description: 'Find the existing release with this name', command: 'helm --kube-context {context} list -a -n {storageNamespace} --filter ^{releaseName}$' }],
    }),
  },
];

/** A ValidatingAdmissionPolicy refused a CRD of the chart's crds/ directory (helm-controller's CRD step). */
function crdPolicyHint(policy: string, binding: string | undefined, said: string): Partial<RuleHit> {
  const gatewayApi = policy === 'safe-upgrades.gateway.networking.k8s.io';
  const crdPolicy = { description: 'See the CRD policy of the release', command: 'kubectl --context {context} -n {namespace} get helmrelease {name} -o jsonpath=\'{.spec.install.crds}{" "}{.spec.upgrade.crds}\'' };
  const read = { description: `Read the policy ${policy}: what it refuses`, command: `kubectl --context {context} get validatingadmissionpolicy ${policy} -o yaml` };
  if (gatewayApi) {
    return {
      title: 'Gateway API\'s safe-upgrades policy refuses the chart\'s bundled Gateway API CRDs',
      explanation: `The cluster has Gateway API CRDs of v1.5 or later, installed with their ValidatingAdmissionPolicy safe-upgrades.gateway.networking.k8s.io, which refuses Gateway API CRDs older than v1.5 and experimental-channel CRDs over standard ones. The chart ships its own, older copy of the Gateway API CRDs in its crds/ directory, and helm-controller applies them (spec.install.crds / spec.upgrade.crds), so the policy denies them${said ? `: "${said}"` : ''}. Stop the chart from managing them: set spec.install.crds and spec.upgrade.crds to Skip and manage the Gateway API CRDs separately (one owner, e.g. a Kustomization with the upstream standard-install.yaml), installing the chart's own non-Gateway-API CRDs there too if it needs them; or use a chart version that bundles Gateway API v1.5 or later. Do not delete the policy to force the downgrade.`,
      evidence: [`policy: ${policy}${binding ? ` (binding ${binding})` : ''}`],
      remediation: [
        crdPolicy,
        { description: 'See the Gateway API bundle version and channel installed now', command: 'kubectl --context {context} get crd gateways.gateway.networking.k8s.io -o jsonpath=\'{.metadata.annotations.gateway\\.networking\\.k8s\\.io/bundle-version}{" "}{.metadata.annotations.gateway\\.networking\\.k8s\\.io/channel}\'' },
        { description: 'In Git, set spec.install.crds: Skip and spec.upgrade.crds: Skip on the HelmRelease and manage the Gateway API CRDs separately, then run the release again', command: 'flux --context {context} reconcile helmrelease {name} -n {namespace} {forceFlag}' },
      ],
      replaceRemediation: true,
    };
  }
  return {
    title: `ValidatingAdmissionPolicy ${policy} denied a CRD of the chart`,
    explanation: `helm-controller applies the CRDs of the chart's crds/ directory (spec.install.crds / spec.upgrade.crds), and the ValidatingAdmissionPolicy ${policy}${binding ? ` (binding ${binding})` : ''}, a CEL policy the API server evaluates itself, denied one${said ? `: "${said}"` : ''}. Such a policy usually guards CRDs another installation owns: let that installation manage them and set the crds policy of this release to Skip, or use a chart version whose CRDs the policy accepts.`,
    evidence: [`policy: ${policy}${binding ? ` (binding ${binding})` : ''}`],
    remediation: [read, crdPolicy],
  };
}

/** A CRD update that drops a version still listed in status.storedVersions: the stored objects must be migrated first. */
export function storedVersionHint(crd: string, version: string): Partial<RuleHit> {
  const flux = /\.toolkit\.fluxcd\.io$|\.fluxcd\.controlplane\.io$/.test(crd);
  return {
    title: `CRD ${crd} cannot drop ${version}: objects are still stored as ${version}${flux ? ' (run flux migrate before this Flux upgrade)' : ''}`,
    explanation: `The new CRD no longer lists ${version}, but ${version} is in the CRD's status.storedVersions: objects were written in that version and may still be stored that way, so the API server refuses the update until a storage migration rewrites them and removes ${version} from storedVersions. ${flux ? `This is Flux's own API: the Flux release being installed drops ${version}. Run flux migrate (Flux CLI 2.7 or later) against the cluster: it rewrites the stored objects and fixes storedVersions, then run the upgrade again. Do not skip the CRDs: the new controllers need them.` : `Rewrite every object of that kind in a served version (read and write them back, or use the kube-storage-version-migrator), then remove ${version} from status.storedVersions; or stay on a chart version whose CRD still lists ${version}.`}`,
    remediation: [
      { description: `See the stored versions of ${crd}`, command: `kubectl --context {context} get crd ${crd} -o jsonpath='{.status.storedVersions}'` },
      ...(flux
        ? [{ description: 'Migrate the stored Flux objects and the storedVersions of Flux\'s CRDs (flux migrate, Flux CLI 2.7+), then upgrade again', command: 'flux --context {context} migrate' }]
        : [{ description: `After rewriting the ${crd.split('.')[0]} objects in a served version, drop ${version} from status.storedVersions (kubectl 1.24+)`, command: `kubectl --context {context} patch crd ${crd} --subresource=status --type=json -p '[{"op":"replace","path":"/status/storedVersions","value":["<served version>"]}]'` }]),
      { description: 'Run the release again', command: 'flux --context {context} reconcile helmrelease {name} -n {namespace} {forceFlag}' },
    ],
    replaceRemediation: true,
  };
}

/** A chart that ships one of Flux's own CRDs (`<plural>.<group>.toolkit.fluxcd.io`): also used for conflicts (FD410). */
export function fluxCrdHint(crd: string): Partial<RuleHit> {
  return {
    title: `The chart ships Flux's own CRD ${crd}`,
    explanation: `The chart contains ${crd}, a CustomResourceDefinition of Flux itself, which the Flux installation (flux bootstrap, the flux-system Kustomization or the Flux Operator) already manages. Helm cannot take it over, and if it could, the release would pin Flux's API to the chart's copy and break Flux on upgrades or uninstall. Drop Flux's CRDs from the release: with spec.install.crds and spec.upgrade.crds set to Skip when the chart ships them in its crds/ directory; when they are templates, with the chart's own switch for them (often a crds.enabled/installCRDs value) or a spec.postRenderers kustomize patch with $patch: delete.`,
    remediation: [
      { description: 'See the CRD policy of the release (set both to Skip in Git when the CRDs come from the chart\'s crds/ directory)', command: 'kubectl --context {context} -n {namespace} get helmrelease {name} -o jsonpath=\'{.spec.install.crds}{" "}{.spec.upgrade.crds}\'' },
      { description: `See who manages ${crd} now (Flux's labels, the Helm release annotation)`, command: `kubectl --context {context} get crd ${crd} -o jsonpath='{.metadata.labels}{"\\n"}{.metadata.annotations.meta\\.helm\\.sh/release-name}'` },
    ],
  };
}

/** A sharper title/explanation/first step for a generic install or upgrade failure, when its error is a known case. */
export function genericHint(failure: ReleaseFailure, hr: KubeObject): Partial<RuleHit> {
  for (const h of HINTS) {
    const m = failure.tail.match(h.test);
    if (m) return h.hit(m, failure, hr);
  }
  return {};
}
