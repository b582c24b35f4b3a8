import { conditionRule } from '../define';

export default conditionRule({
  code: 'FD539',
  slug: 'image-access-denied',
  category: 'access-denied',
  severity: 'error',
  kinds: ['ImagePolicy', 'ImageUpdateAutomation'],
  title: 'Cross-namespace reference denied',
  signals: [
    "ImagePolicy Ready=False AccessDenied: failed to get the referred ImageRepository: cannot access 'ImageRepository/<ns>/<name>', cross-namespace references have been blocked / … access denied: … (the ImageRepository's spec.accessFrom does not allow this namespace)",
    "ImageUpdateAutomation Stalled=True AccessDenied: can't access 'GitRepository/<ns>/<name>', cross-namespace references have been blocked",
  ],
  explanation: 'The object refers to an ImageRepository or GitRepository in another namespace, and the controller does not allow it: either the controllers run with --no-cross-namespace-refs (multi-tenancy lockdown), or the ImageRepository\'s spec.accessFrom.namespaceSelectors does not select this namespace. Nothing is resolved until the reference is allowed or the referenced object is moved next to it.',
  remediation: [
    { description: 'See the reference to the ImageRepository', command: 'kubectl --context {context} -n {namespace} get imagepolicy {name} -o jsonpath=\'{.spec.imageRepositoryRef}{"\\n"}\'', kinds: ['ImagePolicy'] },
    { description: 'See the reference to the GitRepository', command: 'kubectl --context {context} -n {namespace} get imageupdateautomation {name} -o jsonpath=\'{.spec.sourceRef}{"\\n"}\'', kinds: ['ImageUpdateAutomation'] },
    { description: 'Allow this namespace in the ImageRepository\'s spec.accessFrom.namespaceSelectors, or create the ImageRepository/GitRepository in {namespace}; then retry', command: 'flux --context {context} reconcile {noun} {name} -n {namespace}' },
  ],
  when: [
    { type: 'Ready', status: 'False', reasons: ['AccessDenied'] },
    { type: 'Stalled', status: 'True', reasons: ['AccessDenied'] },
  ],
});
