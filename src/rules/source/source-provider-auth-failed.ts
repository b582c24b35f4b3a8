import { sourceRule } from './rule';

export default sourceRule({
  code: 'FD209',
  slug: 'source-provider-auth-failed',
  category: 'source-auth',
  severity: 'error',
  kinds: ['GitRepository', 'OCIRepository', 'HelmRepository', 'HelmChart', 'Bucket'],
  title: 'Provider authentication misconfigured',
  signals: [
    'Ready=False + Stalled FeatureGateDisabled (2.6+): to use spec.serviceAccountName for provider authentication please enable the ObjectLevelWorkloadIdentity feature gate in the controller',
    'GitRepository Ready=False InvalidProviderConfiguration: secretRef with github app data must be specified when provider is set to github / secretRef \'<ns>/<name>\' has github app data but provider is not set to github',
    'Bucket Ready=False (+Stalled) InvalidSTSConfiguration: spec.sts invalid for the provider',
    'Ready=False AuthenticationFailed: failed to get credential from <provider>: … (OCI/Helm workload identity) / failed to configure authentication options: <provider error> with spec.provider set',
  ],
  explanation: 'The source authenticates through a provider (spec.provider aws, azure, gcp or github, optionally with spec.serviceAccountName) rather than static credentials, and that configuration cannot work: object-level workload identity needs the ObjectLevelWorkloadIdentity feature gate on source-controller, a GitHub App needs spec.provider: github together with a Secret holding the app data, the STS settings do not fit the bucket provider, or the cloud rejected the token exchange (missing IAM role or federated identity binding on the service account). Configuration errors are stalled: Flux does not retry until the spec or the controller flags change.',
  remediation: [
    { description: 'See the provider settings of the source', command: 'kubectl --context {context} -n {namespace} get {resource} {name} -o jsonpath=\'{.spec.provider}{" "}{.spec.serviceAccountName}{" "}{.spec.secretRef.name}{"\\n"}\'' },
    { description: 'See the feature gates source-controller runs with ({featureGate} must be enabled, e.g. through the FluxInstance or the flux-system kustomization patches)', command: 'kubectl --context {context} -n {fluxNamespace} get deploy source-controller -o jsonpath=\'{.spec.template.spec.containers[0].args}\'' },
    { description: 'Check the workload identity annotations of service account {serviceAccount}', command: 'kubectl --context {context} -n {namespace} get serviceaccount {serviceAccount} -o jsonpath=\'{.metadata.annotations}\'' },
    { description: 'Check the {cloudProvider} workload identity annotations of source-controller (controller-level identity: IAM role, client ID or service account binding)', command: 'kubectl --context {context} -n {fluxNamespace} get serviceaccount source-controller -o jsonpath=\'{.metadata.annotations}\'' },
    { description: 'For a GitHub App, create the Secret with the app data and set spec.provider: github', command: 'flux --context {context} create secret githubapp {githubSecret} -n {namespace} --app-id=<id> --app-installation-id=<id> --app-private-key=<path>', kinds: ['GitRepository'] },
    { description: 'Fetch again after fixing the spec or the controller flags', command: 'flux --context {context} reconcile {noun} {name} -n {namespace}' },
  ],
  classes: ['provider'],
  refine(obj, _ctx, found) {
    const message = found.condition.message ?? '';
    const vars: Record<string, string> = {};
    const gate = message.match(/enable the (\w+) feature gate/);
    if (found.detail === 'FeatureGateDisabled' || gate) vars.featureGate = gate?.[1] ?? 'ObjectLevelWorkloadIdentity';
    const provider = typeof obj.spec?.provider === 'string' ? obj.spec.provider : message.match(/credential from '?(\w+)'?/)?.[1];
    if (/github/i.test(message)) vars.githubSecret = obj.spec?.secretRef?.name ?? '<secret-name>';
    if (found.detail === 'credential' && provider) vars.cloudProvider = provider;
    let title: string;
    switch (found.detail) {
      case 'FeatureGateDisabled': title = `Feature gate ${vars.featureGate} is disabled on source-controller`; break;
      case 'InvalidProviderConfiguration': title = /github/i.test(message) ? 'GitHub App authentication misconfigured (spec.provider / Secret data)' : 'Provider configuration invalid'; break;
      case 'InvalidSTSConfiguration': title = 'Bucket STS configuration invalid'; break;
      default: title = `Could not get credentials from ${provider ?? 'the cloud provider'} (workload identity)`;
    }
    return { vars, title };
  },
});
