import { conditionRule } from '../define';

export default conditionRule({
  code: 'FD541',
  slug: 'image-update-apply-failed',
  category: 'image-automation-failed',
  severity: 'error',
  kinds: ['ImageUpdateAutomation'],
  title: 'Image automation could not update the manifests',
  signals: [
    'Ready=False UpdateFailed: failed to apply policies: <err> (the setters update of the files under spec.update.path failed: unreadable YAML, a bad path)',
  ],
  explanation: 'The repository was checked out, but updating the image references in the files under spec.update.path failed: a YAML file there does not parse, the path does not exist, or a setter marker ({"$imagepolicy": "<ns>:<policy>"}) is malformed. Nothing is committed until it is fixed.',
  remediation: [
    { description: 'See the update path and strategy', command: 'kubectl --context {context} -n {namespace} get imageupdateautomation {name} -o jsonpath=\'{.spec.update}\'' },
    { description: 'Read the events for the failing file', command: 'flux --context {context} events --for ImageUpdateAutomation/{name} -n {namespace}' },
    { description: 'Fix the file or path in Git, then retry', command: 'flux --context {context} reconcile image update {name} -n {namespace}' },
  ],
  when: { type: 'Ready', status: 'False', reasons: ['UpdateFailed'] },
});
