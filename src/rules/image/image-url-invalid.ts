import { conditionRule } from '../define';
import { conditionEvidence } from '../evidence';
import { refState } from './messages';

export default conditionRule({
  code: 'FD532',
  slug: 'image-url-invalid',
  category: 'image-automation-failed',
  severity: 'error',
  kinds: ['ImageRepository', 'ImagePolicy'],
  title: 'Invalid image reference',
  signals: [
    "Stalled=True (and Ready=False) ImageURLInvalid: image '<image>' should not include URL scheme; remove '<scheme>://' / image '<image>' should not include a tag; remove ':<tag>' / <go-containerregistry parse error>",
    'ImagePolicy: the same, for the image of the ImageRepository it refers to → blocked by that ImageRepository',
  ],
  explanation: 'spec.image must be a plain repository reference such as ghcr.io/org/app: no scheme (https://, oci://) and no tag or digest; the tags are what the scan lists. image-reflector-controller cannot parse it, so the object is stalled and Flux will not retry until the spec changes. An ImagePolicy reports the same error when the ImageRepository it uses has an invalid image.',
  remediation: [
    { description: 'See the image reference', command: 'kubectl --context {context} -n {repositoryNamespace} get imagerepository {repository} -o jsonpath=\'{.spec.image}\'' },
    { description: 'Fix spec.image in Git (e.g. ghcr.io/org/app, without scheme or tag), then scan again', command: 'flux --context {context} reconcile image repository {repository} -n {repositoryNamespace}' },
  ],
  when: [
    { type: 'Stalled', status: 'True', reasons: ['ImageURLInvalid'] },
    { type: 'Ready', status: 'False', reasons: ['ImageURLInvalid'] },
  ],
  refine(obj, { index }, { condition }) {
    if (obj.kind === 'ImageRepository') return { vars: { repository: obj.metadata.name, repositoryNamespace: obj.metadata.namespace ?? '' } };
    const name = obj.spec?.imageRepositoryRef?.name;
    if (!name) return {};
    const ref = { kind: 'ImageRepository', namespace: obj.spec.imageRepositoryRef.namespace ?? obj.metadata.namespace, name };
    return {
      vars: { repository: name, repositoryNamespace: ref.namespace ?? '' },
      blockedBy: [ref],
      evidence: [conditionEvidence(condition), refState(index, ref)],
    };
  },
});
