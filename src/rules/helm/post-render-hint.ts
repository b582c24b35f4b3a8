// `error while running post render on files: <kustomize error>`. helm-controller runs a Kustomize post-render step on
// every release (origin labels, spec.commonMetadata) besides spec.postRenderers, so a kustomize error there is the
// user's post-renderer only when one is set or when a patch finds no target; a duplicate resource id means the chart
// itself renders one object twice (or, on helm-controller v1.5.0–v1.5.3 of Flux 2.8, a hook shares the id of a
// release object: helm-controller#1449, fixed in v1.5.4). The step runs on an in-memory filesystem holding only the
// rendered chart, so a patch entry Kustomize reads as a file name (kustomize api/internal/target `trouble configuring
// builtin <Transformer> with config: `…`: '<path>' doesn't exist`) can never resolve; JSON 6902 operations fail on a
// path the rendered object lacks (evanphx/json-patch `<op> operation does not apply: doc is missing path: "<p>": missing value`).
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

// The post-render patch fields per Kustomize builtin (spec.postRenderers[].kustomize.<field>; v2 keeps only patches).
const FIELD: Record<string, string> = { PatchStrategicMergeTransformer: 'patchesStrategicMerge', PatchJson6902Transformer: 'patchesJson6902', PatchTransformer: 'patches' };
const FILE_MISSING = /trouble configuring builtin (\w+) with config: `[\s\S]*?`: '([^']*)' doesn't exist/;
const JSON_PATCH_MISSING = /\b(add|remove|replace|move|copy|test) operation does not apply: (?:doc )?is missing (from |destination )?(?:path|key): "?([^"\s]+?)"?: missing value/;
const STEP = { description: 'See the post-renderers of the release', command: 'kubectl --context {context} -n {namespace} get helmrelease {name} -o jsonpath=\'{.spec.postRenderers}{"\\n"}\'' };

export function postRenderHint(error: string, hr: KubeObject): Partial<RuleHit> {
  const file = error.match(FILE_MISSING);
  if (file) {
    const field = FIELD[file[1]!] ?? 'patches';
    const path = file[2]!.replace(/^\//, '').replace(/^"(.*)"$/, '$1');
    return {
      title: `spec.postRenderers ${field} entry ${path} is read as a file name (patches must be inline)`,
      explanation: `helm-controller runs spec.postRenderers through Kustomize on an in-memory filesystem that holds only the rendered chart, so an entry of ${field} that is a string is taken as the name of a patch file, which can never exist there. Write the patch itself in the HelmRelease: the patch object under ${field} (v2beta1/v2beta2), or in the v2 API a patches entry with the patch as a YAML string in patch and a target.`,
      evidence: [`post-renderer error: ${error}`],
      remediation: [STEP, { description: `In Git, replace the file name ${path} with the content of that patch (spec.postRenderers[].kustomize.patches[].patch with a target in the v2 API)` }],
    };
  }
  const jsonPatch = error.match(JSON_PATCH_MISSING);
  if (jsonPatch) {
    const [, op, which, path] = jsonPatch;
    const parent = path!.replace(/\/[^/]*$/, '') || '/';
    // An add (or the destination of a copy/move) creates only the last segment: its parent is what is missing.
    const adding = op === 'add' || which === 'destination ';
    return {
      title: `A JSON 6902 post-renderer patch cannot ${op} ${path}: the rendered object has no ${adding ? parent : path}`,
      explanation: adding
        ? `A JSON 6902 ${op} only creates the last segment of its path: ${parent} must already exist in the object the chart rendered, and it does not (the chart, with these values, renders none). Add the parent first (an add of ${parent} with an empty map or list, when the chart never renders it) or use a strategic-merge patch, which creates missing maps.`
        : `A JSON 6902 ${op} needs ${path} to exist in the object the chart rendered, and it does not (the chart version or the values changed what it renders). Fix the path, or use a strategic-merge patch.`,
      evidence: [`post-renderer error: ${error}`],
      remediation: [STEP, { description: `Render the chart with the same values and look at ${adding ? parent : path} of the patch target: helm template {releaseName} <chart> --version <version> -f values.yaml` }],
    };
  }
  const postRenderers = Array.isArray(hr.spec?.postRenderers) && hr.spec.postRenderers.length > 0;
  const duplicate = error.match(/may not add resource with an already registered id: ([^\s']+)/)?.[1];
  if (duplicate && !TARGET_MISSING.test(error)) {
    const id = readableId(duplicate);
    // The Flux 2.8 regression cannot concern the v2beta1 controller of Flux 2.1 and older.
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
  if (TARGET_MISSING.test(error)) {
    return {
      title: 'spec.postRenderers cannot be applied to the rendered chart',
      explanation: 'helm-controller runs the Kustomize patches and images of spec.postRenderers over the rendered manifests, and that failed: usually a patch targets an object the chart (in this version or with these values) does not render, by kind, name or namespace. Fix the target in spec.postRenderers or the values that enable the object.',
      evidence: [`post-renderer error: ${error}`],
      remediation: [{ ...STEP, description: 'Compare the post-renderer targets with what the chart renders' }],
    };
  }
  if (postRenderers) {
    return {
      title: 'Kustomize rejected spec.postRenderers',
      explanation: 'helm-controller runs the Kustomize patches and images of spec.postRenderers over the rendered manifests, and Kustomize refused them: the error says which patch and why (a patch that does not parse, a field of the wrong type, an operation on a missing field). Fix the post-renderer in Git.',
      evidence: [`post-renderer error: ${error}`],
      remediation: [STEP],
    };
  }
  return {
    title: 'helm-controller\'s post-render step failed on the rendered chart',
    explanation: 'helm-controller passes the rendered manifests through a Kustomize post-render step on every release (origin labels, spec.commonMetadata), even without spec.postRenderers, and Kustomize could not read them: usually the chart renders something Kustomize rejects (a duplicate object, an invalid document).',
    evidence: [`post-renderer error: ${error}`],
    remediation: [{ description: 'Render the chart with the same values and check the documents', command: 'helm template {releaseName} <chart> --version {chartVersionSpec} -n {releaseNamespace} -f values.yaml' }],
  };
}
