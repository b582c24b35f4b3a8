import { conditionRule } from '../define';
import { TAG_STORE } from './messages';

export default conditionRule({
  code: 'FD543',
  slug: 'image-repository-store-failed',
  category: 'controller-unhealthy',
  severity: 'error',
  kinds: ['ImageRepository'],
  title: 'image-reflector-controller could not store the scanned tags',
  signals: [
    'Ready=False ReadOperationFailed: scan failed: failed to set tags for "<canonical image>": <err> (the controller\'s tag database)',
  ],
  explanation: 'The registry answered and the tags were listed, but image-reflector-controller could not write them to its tag database (the Badger database on its data volume, or the storage of the FluxStorage feature gate): typically the volume is full, read-only or corrupted. This is a problem of the controller, not of the registry or the credentials; every ImageRepository it scans is likely affected, and the ImagePolicies keep the tags of the last successful scan.',
  remediation: [
    { description: 'Read the controller log for the storage error', command: 'kubectl --context {context} logs -n {fluxNamespace} deploy/image-reflector-controller --tail=100' },
    { description: 'Check the controller\'s data volume (size, free space) and restart it to reopen the database', command: 'kubectl --context {context} -n {fluxNamespace} rollout restart deploy/image-reflector-controller' },
    { description: 'Scan again', command: 'flux --context {context} reconcile image repository {name} -n {namespace}' },
  ],
  when: { type: 'Ready', status: 'False', reasons: ['ReadOperationFailed'], message: TAG_STORE },
  refine(_obj, { index }) {
    return { vars: { fluxNamespace: index.cluster.fluxNamespace } };
  },
});
