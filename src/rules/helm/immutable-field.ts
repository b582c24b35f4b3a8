import type { RuleHit } from '../types';
import { releaseFailureRule } from './failure';

export default releaseFailureRule({
  code: 'FD412',
  slug: 'helm-immutable-field',
  category: 'immutable-field',
  severity: 'error',
  kinds: ['HelmRelease'],
  title: 'Helm upgrade changes an immutable field',
  signals: [
    'Released=False UpgradeFailed: … cannot patch "<name>" with kind <Kind>: <Kind>.<group> "<name>" is invalid: <field>: Invalid value: …: field is immutable',
    '… spec: Forbidden: updates to statefulset spec for fields other than … are forbidden',
    '("cannot patch" without an immutable-field error is a generic upgrade failure, FD408)',
  ],
  explanation: 'The new chart version or values change a field the API server does not allow to change on an existing object (a Deployment\'s or StatefulSet\'s selector, a StatefulSet\'s volumeClaimTemplates, a Service\'s clusterIP, a Job\'s template…). Helm patches objects in place, so the upgrade fails until the object is recreated.',
  remediation: [
    { description: 'See the object that cannot be patched ({immutableRef})', command: 'kubectl --context {context} -n {releaseNamespace} get {immutableResource} {immutableName} -o yaml' },
    { description: 'Let Helm recreate changed objects: set spec.upgrade.force: true in Git (replaces objects; may cause downtime), or delete the object so the upgrade creates it anew', command: 'kubectl --context {context} -n {releaseNamespace} delete {immutableResource} {immutableName}' },
    { description: 'Run the upgrade again', command: 'flux --context {context} reconcile helmrelease {name} -n {namespace} {forceFlag}' },
  ],
  classes: ['immutable'],
  enrich(_obj, _ctx, failure): Partial<RuleHit> {
    const m = failure.tail.match(/cannot patch "([^"]+)" with kind (\w+)/) ?? failure.tail.match(/(\w+)\.[\w.]+ "([^"]+)" is invalid/);
    if (!m) return { vars: {} };
    const [kind, name] = m[0].startsWith('cannot patch') ? [m[2]!, m[1]!] : [m[1]!, m[2]!];
    return {
      vars: { immutableRef: `${kind}/${name}`, immutableResource: kind.toLowerCase(), immutableName: name },
      title: `Helm upgrade changes an immutable field of ${kind}/${name}`,
    };
  },
});
