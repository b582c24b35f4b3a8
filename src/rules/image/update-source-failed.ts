import { conditionRule } from '../define';
import { conditionEvidence } from '../evidence';
import { GIT_SECRET, PUSH_BRANCH_UNINFERABLE, SIGNING_KEY, gitSourceOf, isBlocking, refState } from './messages';

export default conditionRule({
  code: 'FD538',
  slug: 'image-update-source-failed',
  category: 'image-automation-failed',
  severity: 'error',
  kinds: ['ImageUpdateAutomation'],
  title: 'Image automation cannot use its GitRepository',
  signals: [
    'Ready=False SourceManagerFailed: failed configuring source manager: referenced git repository does not exist: … not found / failed to get auth secret \'<ns>/<name>\': … / failed to configure authentication options: … / could not find signing key secret \'<name>\': … (Flux 2.3+)',
    'Flux 2.0–2.2: Ready=False GitNotAvailable: referenced git repository is missing; ReconciliationFailed: failed to get secret \'<ns>/<name>\' (2.0–2.1) / failed to get auth secret / failed to get proxy secret \'<ns>/<name>\' (2.2)',
    'commit signing key (any version): could not find signing key secret / signing key secret \'<name>\' does not contain a(n) \'<key>\' key / could not read signing key / could not decrypt private key / can not use passphrase protected signing key … / multiple entities read from secret / unknown signing key type',
    'the GitRepository failing, suspended or missing → blocked by it / named in the title (not for signing key errors)',
  ],
  explanation: 'Before cloning, image-automation-controller reads the GitRepository named in spec.sourceRef, the Secrets that GitRepository references (credentials, proxy; in the GitRepository\'s namespace) and the commit signing key Secret of spec.git.commit.signingKey (in the automation\'s own namespace). That failed: the GitRepository does not exist in that namespace, one of those Secrets is missing, or the signing key in it cannot be used (wrong key name, a passphrase-protected key without its passphrase, several keys). No update is attempted until it is fixed.',
  remediation: [
    { description: 'See spec.sourceRef', command: 'kubectl --context {context} -n {namespace} get imageupdateautomation {name} -o jsonpath=\'{.spec.sourceRef}\'' },
    { description: 'Check the GitRepository exists and is ready', command: 'flux --context {context} get sources git -n {gitNamespace}' },
    { description: 'Check the Secret {secretName} of the GitRepository exists (list keys only)', command: 'kubectl --context {context} -n {gitNamespace} get secret {secretName} -o jsonpath=\'{.data}\' | jq \'keys\'' },
    { description: 'Check the commit signing key Secret {signingSecretName} exists in the automation\'s namespace, with git.asc (and passphrase) for an OpenPGP key or identity (and password) for an SSH key (list keys only)', command: 'kubectl --context {context} -n {namespace} get secret {signingSecretName} -o jsonpath=\'{.data}\' | jq \'keys\'' },
    { description: 'Retry the automation', command: 'flux --context {context} reconcile image update {name} -n {namespace}' },
  ],
  when: [
    { type: 'Ready', status: 'False', reasons: ['SourceManagerFailed', 'GitNotAvailable'] },
    // Flux 2.0–2.2 reported these as the raw error.
    { type: 'Ready', status: 'False', reasons: ['ReconciliationFailed'], message: SIGNING_KEY },
    { type: 'Ready', status: 'False', reasons: ['ReconciliationFailed'], message: GIT_SECRET },
  ],
  refine(obj, { index }, { condition }) {
    const message = condition.message ?? '';
    // No push branch can be inferred: the automation's own spec, read by FD540.
    if (PUSH_BRANCH_UNINFERABLE.test(message)) return null;
    const git = gitSourceOf(obj);
    const vars: Record<string, string> = {};
    const evidence = [conditionEvidence(condition)];
    let title: string | undefined;
    const blockedBy = [];
    const signing = message.match(SIGNING_KEY);
    if (git) {
      vars.gitNamespace = git.namespace ?? obj.metadata.namespace ?? '';
      evidence.push(refState(index, git));
      if (!index.get(git) && /does not exist|is missing|not found/.test(message) && !signing) title = `GitRepository ${vars.gitNamespace}/${git.name} does not exist`;
      // A bad signing key is the automation's own problem, whatever the state of the GitRepository.
      else if (!signing && isBlocking(index, git)) blockedBy.push(git);
    }
    if (signing) {
      const name = obj.spec?.git?.commit?.signingKey?.secretRef?.name ?? signing[1] ?? signing[2];
      if (name) vars.signingSecretName = name;
      const where = `${obj.metadata.namespace ?? ''}/${name ?? '?'}`;
      title = signing[1] ? `Commit signing key Secret ${where} does not exist` : `The commit signing key in Secret ${where} cannot be used`;
    } else {
      const secret = message.match(GIT_SECRET) ?? message.match(/secret '(?:([^/']+)\/)?([^']+)'/);
      if (secret) {
        vars.secretName = secret[2]!;
        if (secret[1]) vars.gitNamespace = secret[1];
        title ??= git ? `Secret ${vars.gitNamespace}/${secret[2]} of GitRepository ${git.name} cannot be read` : `Secret ${secret[2]} used by the image automation cannot be read`;
      }
    }
    return { vars, evidence, ...(blockedBy.length ? { blockedBy } : {}), ...(title ? { title } : {}) };
  },
});
