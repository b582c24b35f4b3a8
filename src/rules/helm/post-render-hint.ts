// `error while running post render on files: <kustomize error>`. helm-controller runs a Kustomize post-render step on
// every release (origin labels, spec.commonMetadata) besides spec.postRenderers, so a kustomize error there is the
// user's post-renderer only when one is set or when a patch finds no target; a duplicate resource id means the chart
// itself renders one object twice (or, on helm-controller v1.5.0–v1.5.3 of Flux 2.8, a hook shares the id of a
// release object: helm-controller#1449, fixed in v1.5.4).
import type { KubeObject } from '../../snapshot/schema';
import type { RuleHit } from '../types';
import { isLegacyController } from './release';

const TARGET_MISSING = /no matches for Id|failed to find unique target/;
// kustomize resid: `<Kind>.<version>.<group|[noGrp]>/<name>.<namespace|[noNs]>`.
const RESID = /^(\w+)\.[^./]+\.(?:\[noGrp\]|[^/]+)\/(.+)\.(\[noNs\]|[a-z0-9-]+)$/;

function readableId(id: string): string {
  const m = id.match(RESID);
  if (!m) return id;
  return m[3] === '[noNs]' ? `${m[1]}/${m[2]}` : `${m[1]}/${m[3]}/${m[2]}`;
}

export function postRenderHint(error: string, hr: KubeObject): Partial<RuleHit> {
  const postRenderers = Array.isArray(hr.spec?.postRenderers) && hr.spec.postRenderers.length > 0;
  const duplicate = error.match(/may not add resource with an already registered id: ([^\s']+)/)?.[1];
  if (duplicate && !TARGET_MISSING.test(error)) {
    const id = readableId(duplicate);
    // The Flux 2.8 regression cannot concern the v2beta1 controller of Flux 2.0/2.1.
    const current = !isLegacyController(hr);
    return {
      title: `The chart renders ${id} twice (post-render step failed)`,
      explanation: `helm-controller passes the rendered manifests through a Kustomize post-render step on every release (its origin labels and spec.commonMetadata${postRenderers ? ', then spec.postRenderers' : ''}), and Kustomize refuses two objects with the same kind, name and namespace. The chart (with these values) renders ${id} more than once: two templates, a template and a file under crds/ or a subchart, or a value that enables the same object twice.${current ? ' On helm-controller v1.5.0–v1.5.3 (Flux 2.8) a hook with the same id as a release object also fails here: a known regression (fluxcd/helm-controller#1449) fixed in v1.5.4.' : ''}`,
      evidence: [`post-renderer error: ${error}`],
      remediation: [
        { description: `Render the chart with the same values and look for two documents of ${id} (helm template does not deduplicate either)`, command: 'helm template {releaseName} <chart> --version {chartVersionSpec} -n {releaseNamespace} -f values.yaml | grep -n -A3 \'^kind: \'' },
        ...(current ? [{ description: 'Check the helm-controller version: v1.5.0–v1.5.3 (Flux 2.8) conflate hooks with release objects; upgrade Flux if the duplicate is a hook', command: 'flux --context {context} check' }] : []),
      ],
    };
  }
  if (postRenderers || TARGET_MISSING.test(error)) {
    return {
      title: 'spec.postRenderers cannot be applied to the rendered chart',
      explanation: 'helm-controller runs the Kustomize patches and images of spec.postRenderers over the rendered manifests, and that failed: usually a patch targets an object the chart (in this version or with these values) does not render, by kind, name or namespace. Fix the target in spec.postRenderers or the values that enable the object.',
      evidence: [`post-renderer error: ${error}`],
      remediation: [{ description: 'Compare the post-renderer targets with what the chart renders', command: 'kubectl --context {context} -n {namespace} get helmrelease {name} -o jsonpath=\'{.spec.postRenderers}\'' }],
    };
  }
  return {
    title: 'helm-controller\'s post-render step failed on the rendered chart',
    explanation: 'helm-controller passes the rendered manifests through a Kustomize post-render step on every release (origin labels, spec.commonMetadata), even without spec.postRenderers, and Kustomize could not read them: usually the chart renders something Kustomize rejects (a duplicate object, an invalid document).',
    evidence: [`post-renderer error: ${error}`],
    remediation: [{ description: 'Render the chart with the same values and check the documents', command: 'helm template {releaseName} <chart> --version {chartVersionSpec} -n {releaseNamespace} -f values.yaml' }],
  };
}
