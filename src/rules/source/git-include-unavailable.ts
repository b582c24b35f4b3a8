import type { ObjRef } from '../../flux/refs';
import { refKey } from '../../flux/refs';
import { stateLine } from './classify';
import { sourceRule } from './rule';

export default sourceRule({
  code: 'FD220',
  slug: 'git-include-unavailable',
  category: 'dependency-not-ready',
  severity: 'error',
  kinds: ['GitRepository'],
  title: 'Included GitRepository unavailable',
  signals: [
    'IncludeUnavailable=True NotFound → Ready=False: could not get resource for include \'<name>\': GitRepository.source.toolkit.fluxcd.io "<name>" not found',
    'IncludeUnavailable=True NoArtifact → Ready=False: no artifact available for include \'<name>\'',
    'blocked by the included GitRepository when it exists (its own failure is the root cause)',
  ],
  explanation: 'spec.include copies another GitRepository\'s artifact into this one, and that repository does not exist in this namespace or has no artifact yet (its own fetch fails, or it is suspended). source-controller waits and retries; the artifact of this repository is not updated until every include is available.',
  remediation: [
    { description: 'See the included repositories', command: 'kubectl --context {context} -n {namespace} get gitrepository {name} -o jsonpath=\'{.spec.include}{"\\n"}\'' },
    { description: 'See the state of {include}', command: 'flux --context {context} get source git {include} -n {namespace}' },
    { description: 'Create {missingInclude}, or fix spec.include in Git' },
    { description: 'Fetch again once the included repository has an artifact', command: 'flux --context {context} reconcile source git {name} -n {namespace}' },
  ],
  classes: ['include'],
  refine(obj, { index }, found, base) {
    const name = (found.condition.message ?? '').match(/for include '([^']+)'/)?.[1];
    if (!name) return {};
    const ref: ObjRef = { kind: 'GitRepository', namespace: obj.metadata.namespace, name };
    const vars: Record<string, string> = { include: name };
    const evidence = [...base.evidence, stateLine(index, ref)];
    if (!index.get(ref)) {
      if (/could not get resource/.test(found.condition.message ?? '')) vars.missingInclude = `the missing GitRepository ${refKey(ref)}`;
      return { vars, evidence, title: `Included GitRepository ${ref.namespace}/${ref.name} does not exist` };
    }
    return { vars, evidence, blockedBy: [ref], title: `Waiting on included GitRepository ${ref.namespace}/${ref.name}, which has no artifact` };
  },
});
