import { conditionRule } from '../define';
import { EXCLUSION_REGEX } from './messages';

export default conditionRule({
  code: 'FD542',
  slug: 'image-repository-exclusion-invalid',
  category: 'image-automation-failed',
  severity: 'error',
  kinds: ['ImageRepository'],
  title: 'Invalid tag exclusion pattern',
  signals: [
    'Ready=False ReadOperationFailed: scan failed: failed to compile regex <pattern>: error parsing regexp: <err> (a spec.exclusionList entry that is not a Go RE2 expression)',
  ],
  explanation: 'image-reflector-controller listed the tags, then compiles every spec.exclusionList entry as a Go (RE2) regular expression to drop the tags it should not store; one does not compile, so the scan fails although the registry answered. This is a spec error: the controller retries on every interval and fails the same way, and the ImagePolicies built on this repository keep the tags of the last successful scan.',
  remediation: [
    { description: 'See the exclusion list', command: 'kubectl --context {context} -n {namespace} get imagerepository {name} -o jsonpath=\'{.spec.exclusionList}\'' },
    { description: 'Fix the pattern {pattern} in Git (RE2 syntax: no look-arounds or back-references; escape literal dots and parentheses, e.g. ^.*\\.sig$), then scan again', command: 'flux --context {context} reconcile image repository {name} -n {namespace}' },
  ],
  when: { type: 'Ready', status: 'False', reasons: ['ReadOperationFailed'], message: EXCLUSION_REGEX },
  refine(_obj, _ctx, { match }) {
    const pattern = match?.[1];
    return pattern ? { vars: { pattern }, title: `Invalid tag exclusion pattern ${pattern}` } : {};
  },
});
