import { refKey } from '../../flux/refs';
import { conditionRule } from '../define';
import { conditionEvidence } from '../evidence';
import { isBlocking, refState } from '../image/messages';
import { OPERATOR_STEPS, RETRY } from './messages';
import type { ClusterIndex } from '../../snapshot/indexes';
import type { KubeObject } from '../../snapshot/schema';

/**
 * spec.distribution.artifact on a moving tag (`:latest`, the CRD's own example, or none): the manifests artifact is built
 * for the newest operator, and an older running operator's patches stop applying to it (flux2#5965: `add operation does
 * not apply: doc is missing path`). Upgrade the operator, or pin the artifact to its release.
 */
function floatingArtifact(obj: KubeObject, index: ClusterIndex) {
  const artifact = obj.spec?.distribution?.artifact;
  if (typeof artifact !== 'string' || !/^oci:\/\//.test(artifact)) return null;
  const tag = artifact.match(/^oci:\/\/[^@]+?(?::([^/:@]+))?(?:@.*)?$/)?.[1];
  if (artifact.includes('@') || (tag !== undefined && tag !== 'latest')) return null;
  const operator = index.cluster.controllers.find((c) => c.name === 'flux-operator')?.version ?? null;
  const pinned = `${artifact.replace(/:latest$/, '')}:${operator ?? '<operator version>'}`;
  return {
    title: `spec.distribution.artifact follows ${tag ? `:${tag}` : 'the latest tag'}, which may be built for a newer operator than the running one${operator ? ` (${operator})` : ''}: upgrade the operator or pin the artifact`,
    evidence: `spec.distribution.artifact ${artifact}${operator ? `, flux-operator ${operator}` : ''}`,
    remediation: [
      { description: `Upgrade the Flux Operator to its latest release (the :latest manifests are built for it), or pin spec.distribution.artifact to the running operator's release (${pinned}) in Git` },
      RETRY,
    ],
  };
}

export default conditionRule({
  code: 'FD561',
  slug: 'operator-build-failed',
  category: 'build-failed',
  severity: 'error',
  kinds: ['FluxInstance', 'ResourceSet'],
  title: 'Flux Operator could not build the manifests',
  signals: [
    'Ready=False + Stalled=True BuildFailed: build failed: <err> (FluxInstance: no match found for semver: <v>…, downgrading from <a> to <b> is not supported, reinstall needed, invalid component or patch; ResourceSet: template errors)',
    'FluxInstance BuildFailed with spec.distribution.artifact on :latest (or untagged): the manifests may be built for a newer operator than the running one (e.g. add operation does not apply: doc is missing path …)',
    'ResourceSet Ready=False + Stalled=True BuildFailed: failed to compute inputs: <err> (e.g. failed to get provider <ns>/<name>: … not found) → blocked by that ResourceSetInputProvider when it fails',
  ],
  explanation: 'The operator could not render the manifests it should apply: for a FluxInstance the requested Flux version is not available in this operator release (or would be a downgrade), or a component, patch or sync setting is invalid; for a ResourceSet a template does not render with its inputs, or the inputs could not be computed. This is terminal: nothing is applied and the operator does not retry until the spec (or its input providers) changes.',
  remediation: [
    ...OPERATOR_STEPS,
    { description: 'See the requested distribution (a version the running operator does not ship needs a newer operator)', command: 'kubectl --context {context} -n {namespace} get fluxinstance {name} -o jsonpath=\'{.spec.distribution}\'', kinds: ['FluxInstance'] },
    { description: 'Render the ResourceSet locally with its inputs to see the template error', command: 'flux-operator build resourceset -f <resourceset.yaml>', kinds: ['ResourceSet'] },
    { description: 'Check the input provider {provider}', command: 'kubectl --context {context} -n {namespace} get resourcesetinputprovider {provider}' },
    RETRY,
  ],
  when: [
    { type: 'Ready', status: 'False', reasons: ['BuildFailed'] },
    { type: 'Stalled', status: 'True', reasons: ['BuildFailed'] },
  ],
  refine(obj, { index }, { condition }) {
    const message = condition.message ?? '';
    const vars: Record<string, string> = { fluxNamespace: index.cluster.fluxNamespace };
    const evidence = [conditionEvidence(condition)];
    let title: string | undefined;
    const blockedBy = [];
    const version = obj.spec?.distribution?.version;
    if (/no match found for semver/.test(message)) title = version ? `Flux version ${version} is not available in this operator release` : 'The requested Flux version is not available in this operator release';
    else if (/downgrading from .* is not supported/.test(message)) title = 'Flux downgrade refused: reinstall needed';
    const floating = obj.kind === 'FluxInstance' ? floatingArtifact(obj, index) : null;
    if (floating && !title) return { vars, evidence: [...evidence, floating.evidence], title: floating.title, remediation: floating.remediation };
    const provider = message.match(/failed to get provider ([^/\s]+)\/([^\s:]+)/);
    if (provider) {
      const ref = { kind: 'ResourceSetInputProvider', namespace: provider[1]!, name: provider[2]! };
      vars.provider = ref.name;
      evidence.push(refState(index, ref));
      if (!index.get(ref)) title = `${refKey(ref)} does not exist`;
      else if (isBlocking(index, ref)) blockedBy.push(ref);
    }
    return { vars, evidence, ...(blockedBy.length ? { blockedBy } : {}), ...(title ? { title } : {}) };
  },
});
