import { conditionRule } from '../define';
import { conditionEvidence } from '../evidence';
import { gitSourceOf, isBlocking, refState } from './messages';

export default conditionRule({
  code: 'FD538',
  slug: 'image-update-source-failed',
  category: 'image-automation-failed',
  severity: 'error',
  kinds: ['ImageUpdateAutomation'],
  title: 'Image automation cannot use its GitRepository',
  signals: [
    'Ready=False SourceManagerFailed: failed configuring source manager: referenced git repository does not exist: … not found / failed to get auth secret \'<ns>/<name>\': … / failed to configure authentication options: … (Flux 2.3+)',
    'Flux 2.0–2.2: Ready=False GitNotAvailable: referenced git repository is missing',
    'the GitRepository failing, suspended or missing → blocked by it / named in the title',
  ],
  explanation: 'Before cloning, image-automation-controller reads the GitRepository named in spec.sourceRef and the Secrets it references (credentials, proxy, commit signing key). That failed: the GitRepository does not exist in that namespace, or one of its Secrets is missing. No update is attempted until it is fixed.',
  remediation: [
    { description: 'See spec.sourceRef', command: 'kubectl --context {context} -n {namespace} get imageupdateautomation {name} -o jsonpath=\'{.spec.sourceRef}\'' },
    { description: 'Check the GitRepository exists and is ready', command: 'flux --context {context} get sources git -n {gitNamespace}' },
    { description: 'Check the Secret {secretName} exists (list keys only)', command: 'kubectl --context {context} -n {gitNamespace} get secret {secretName} -o jsonpath=\'{.data}\' | jq \'keys\'' },
    { description: 'Retry the automation', command: 'flux --context {context} reconcile image update {name} -n {namespace}' },
  ],
  when: [
    { type: 'Ready', status: 'False', reasons: ['SourceManagerFailed', 'GitNotAvailable'] },
  ],
  refine(obj, { index }, { condition }) {
    const message = condition.message ?? '';
    const git = gitSourceOf(obj);
    const vars: Record<string, string> = {};
    const evidence = [conditionEvidence(condition)];
    let title: string | undefined;
    const blockedBy = [];
    if (git) {
      vars.gitNamespace = git.namespace ?? obj.metadata.namespace ?? '';
      evidence.push(refState(index, git));
      if (!index.get(git) && /does not exist|is missing|not found/.test(message)) title = `GitRepository ${vars.gitNamespace}/${git.name} does not exist`;
      else if (isBlocking(index, git)) blockedBy.push(git);
    }
    const secret = message.match(/secret '(?:[^/']+\/)?([^']+)'/);
    if (secret) {
      vars.secretName = secret[1]!;
      title ??= `Secret ${secret[1]} used by the image automation cannot be read`;
    }
    return { vars, evidence, ...(blockedBy.length ? { blockedBy } : {}), ...(title ? { title } : {}) };
  },
});
