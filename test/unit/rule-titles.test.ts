// Cases where the rule is right only if it names the specific cause: the title is what a reader acts on.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeCluster } from '../../src/analyze/report';
import { loadOffline } from '../../src/collect/offline';
import { RULES } from '../../src/rules/registry';

const ROOT = join(import.meta.dirname, '..', '..');
const NOW = '2026-11-23T12:00:00Z';

async function findingsOf(file: string) {
  const clusters = await loadOffline([join(ROOT, 'fixtures', 'rules', file)], { fluxNamespace: 'flux-system', now: NOW, contextFor: () => 'ctx' });
  return clusters.flatMap((c) => analyzeCluster(c, RULES, { now: Date.parse(NOW) }).findings);
}

describe('specific causes in titles', () => {
  it.each([
    ['FD211/trigger/https-url-of-an-oci-registry.yaml', 'FD211', /^ghcr\.io is an OCI registry/, /spec\.type: oci/],
    ['FD211/trigger/github-repository-page-as-helm-repository.yaml', 'FD211', /is a Git repository, not a Helm repository$/, /GitRepository/],
    ['FD202/trigger/client-offers-only-ssh-rsa.yaml', 'FD202', /offers only SHA-1 ssh-rsa/, /--ssh-hostkey-algos=rsa-sha2-512,rsa-sha2-256/],
    ['FD500/trigger/no-secretref.yaml', 'FD500', /has no spec\.secretRef/, /set spec\.secretRef\.name/],
    ['FD208/trigger/azure-sas-authorization-failure.yaml', 'FD208', /denied by Azure: the SAS token or identity/, /account-level SAS/],
    ['FD208/trigger/aws-provider-no-identity-401.yaml', 'FD208', /AWS identity \(spec\.provider aws\) is missing/, /IMDS hop limit/],
    ['FD536/trigger/libgit2-non-fastforwardable.yaml', 'FD536', /the branch moved \(non-fast-forward\)/, /other automations that push to the same repository/],
    ['FD309/trigger/stable-builtin-kind-unmapped.yaml', 'FD309', /ConfigMap v1 is always served/, /get apiservices/],
    ['FD309/trigger/crd-version-dropped-by-upgrade.yaml', 'FD309', /^The CRD of ExternalSecret is installed but no longer serves external-secrets\.io\/v1beta1 \(HelmRelease\/external-secrets\/external-secrets upgraded external-secrets 0\.16\.2 → 0\.17\.0\)$/, /pin HelmRelease\/external-secrets\/external-secrets back to 0\.16\.2/],
    ['FD428/trigger/crd-version-dropped-stored-release.yaml', 'FD428', /^The deployed release contains ExternalSecret external-secrets\.io\/v1beta1, which its installed CRD no longer serves \(HelmRelease\/external-secrets\/external-secrets upgraded/, /mapkubeapis billing -n billing --mapfile/],
    ['FD030/trigger/eso-upgrade-stopped-serving-v1beta1.yaml', 'FD030', /^Upgraded external-secrets 0\.16\.2 → 0\.17\.0: its CRDs no longer serve external-secrets\.io\/v1beta1, which 3 Flux objects still use$/, /get crd clustersecretstores\.external-secrets\.io externalsecrets\.external-secrets\.io[\s\S]*spec\.chart\.spec\.version: "0\.16\.2"/],
    ['FD030/trigger/kustomization-provider-one-consumer.yaml', 'FD030', /^The CRDs it installs no longer serve cert-manager\.io\/v1alpha2, which 1 Flux object still uses$/, /events --for Kustomization\/cert-manager -n flux-system/],
    ['FD029/trigger/kubernetes-125-removed-policy-and-batch-v1beta1.yaml', 'FD029', /^The cluster no longer serves batch\/v1beta1 and policy\/v1beta1 \(removed in Kubernetes 1\.25\): 3 objects fail$/, /CronJob batch\/v1beta1 → batch\/v1[\s\S]*mapkubeapis zookeeper -n kafka/],
    ['FD305/trigger/patch-target-not-in-build.yaml', 'FD305', /^A patch targets core\.oam\.dev_v1beta1_Application\|express-server-test/, /flux --context ctx build kustomization/],
    ['FD305/trigger/remote-base-answers-no-yaml.yaml', 'FD305', /remote resource kustomize-controller cannot fetch: https:\/\/gitlab\.internal\.url\/.* \(the answer is no YAML\)$/, /GitRepository\/OCIRepository/],
    ['FD305/trigger/remote-resource-download-timeout.yaml', 'FD305', /cannot fetch: https:\/\/github\.com\/jetstack\/.* \(net\/http: TLS handshake timeout\)$/, /grep -rn --include=kustomization\.yaml/],
    ['FD311/trigger/last-applied-annotation-too-long.yaml', 'FD311', /last-applied-configuration annotation/, /reconcile kustomization/],
    ['FD407/trigger/contradicting-crds-settings.yaml', 'FD407', /spec\.install\.crds: Skip contradicts spec\.install\.skipCRDs/, /skipCRDs: true/],
    ['FD317/trigger/custom-resource-in-progress.yaml', 'FD317', /waiting for Certificate\/apps\/web-tls \(InProgress\)$/, /describe certificate\.cert-manager\.io web-tls[\s\S]*healthCheckExprs with apiVersion cert-manager\.io\/v1/],
    ['FD308/trigger/grafana-dashboard-placeholder-strict.yaml', 'FD308', /DS_PROMETHEUS has no value \(strict substitution\): a placeholder of another tool/, /kustomize\.toolkit\.fluxcd\.io\/substitute: disabled, or write the placeholder as \$\$\{DS_PROMETHEUS\}/],
    ['FD316/trigger/protected-namespace-default.yaml', 'FD316', /tries to delete Namespace default, which Kubernetes never allows$/, /annotate namespace default kustomize\.toolkit\.fluxcd\.io\/prune=disabled/],
    ['FD311/trigger/webhook-forbids-field-change.yaml', 'FD311', /vtargetgroupbinding\.elbv2\.k8s\.aws refuses to change fields of TargetGroupBinding\/kube-system\/haproxy-ingress-tgb after creation/, /-n kube-system delete targetgroupbinding haproxy-ingress-tgb/],
    ['FD314/trigger/lockdown-default-service-account-one-object.yaml', 'FD314', /no spec\.serviceAccountName, so kustomize-controller impersonates flux-system\/default \(--default-service-account=default\)/, /^Set spec\.serviceAccountName/],
    ['FD209/trigger/github-app-secret-without-provider.yaml', 'FD209', /holds GitHub App data but spec\.provider is not github: set spec\.provider: github$/, /^Set spec\.provider: github/],
    ['FD215/trigger/oci-tags-not-strict-semver.yaml', 'FD215', /No usable tags for chart application-charts in the OCI registry: none is strict SemVer/, /tags like v1\.2\.3 or latest are ignored/],
    ['FD535/trigger/semver-range-over-prerelease-tags.yaml', 'FD535', /No tag matches semver range 3\.12\.\*: the repository's version tags are SemVer pre-releases/, />=3\.12\.0-0 <3\.13\.0-0 instead of 3\.12\.\*/],
    ['FD531/trigger/cert-secret-empty-ca.yaml', 'FD531', /Secret debugtenant\/empty-cert-for-public \(spec\.certSecretRef\) gives no TLS settings: its ca\.crt is empty$/, /remove spec\.certSecretRef in Git/],
    ['FD214/trigger/cosign-v3-bundle-before-flux-2-8.yaml', 'FD214', /cosign signature verification failed/, /signed with cosign v3, whose default new bundle format Flux reads only from 2\.8 on \(this cluster runs v2\.7\.4\)/],
    ['FD561/trigger/latest-artifact-newer-than-operator.yaml', 'FD561', /spec\.distribution\.artifact follows :latest, which may be built for a newer operator than the running one \(v0\.52\.0\)/, /flux-operator-manifests:v0\.52\.0/],
    ['FD307/trigger/age-key-entry-not-agekey.yaml', 'FD307', /no key of Secret flux-system\/sops-age is loaded \(age\.key: kustomize-controller reads only \*\.agekey/, /--from-file=age\.agekey=/],
    ['FD411/trigger/chart-renders-dropped-crd-version.yaml', 'FD411', /^The chart renders ExternalSecret external-secrets\.io\/v1beta1, which its installed CRD no longer serves \(HelmRelease\/external-secrets\/external-secrets upgraded external-secrets 0\.16\.2 → 0\.17\.0\)$/, /pin HelmRelease\/external-secrets\/external-secrets back to 0\.16\.2/],
    ['FD407/trigger/release-name-too-long.yaml', 'FD407', /is 59 characters: Helm allows at most 53/, /spec\.releaseName/],
    ['FD031/trigger/kyverno-upgrade-denies-flux-and-apps.yaml', 'FD031', /^Admission webhook validate\.kyverno\.svc-fail denies 3 Flux objects \(require-run-as-nonroot\/autogen-check-runasnonroot\) since HelmRelease\/kyverno\/kyverno upgraded kyverno 3\.0\.4 → 3\.1\.0$/, /Kustomization\/flux-system\/flux-system cannot apply a fix in its own path/],
    ['FD031/trigger/gatekeeper-constraint-denies-two.yaml', 'FD031', /validation\.gatekeeper\.sh denies 2 Flux objects \(must-have-owner\)$/, /through Kustomization\/flux-system\/policies/],
    ['FD031/trigger/validating-admission-policy-denies-two.yaml', 'FD031', /^ValidatingAdmissionPolicy replica-limit \(binding replica-limit-prod\) denies 2 Flux objects$/, /Change the policy once/],
    ['FD032/trigger/tenant-account-renamed.yaml', 'FD032', /^ServiceAccount "reconciler", impersonated by 2 objects, is refused in 2 namespaces \(dev, qa\): Kustomization\/flux-system\/tenants deleted it and applies tenant-reconciler instead$/, /spec\.serviceAccountName: tenant-reconciler/],
    ['FD033/trigger/discovery-failure-holds-deletion.yaml', 'FD033', /^Namespace orders is being deleted and refuses 2 Flux objects: the namespace controller cannot list every API \(v1beta1\.custom\.metrics\.k8s\.io unavailable\)$/, /get apiservices/],
    ['FD033/trigger/finalizers-hold-deletion.yaml', 'FD033', /objects in it keep finalizers \(kafka\.strimzi\.io\/topic-operator in 2 resource instances\)$/, /finalizers must remove them/],
    ['FD537/trigger/libgit2-push-branch-is-checkout-branch-eof.yaml', 'FD537', /^Image automation cannot fetch its push branch master, which is the branch it checks out: an image-automation-controller bug \(Flux 0\.31–0\.32\)$/, /Remove spec\.git\.push .*fixed in image-automation-controller 0\.24\.2/],
    ['FD537/trigger/libgit2-push-branch-fetch-failed.yaml', 'FD537', /^Image automation cannot fetch its push branch flux-image-updates: EOF$/, /push branch is fetched with the credentials of the GitRepository/],
    ['FD317/trigger/health-check-kind-wrong-group.yaml', 'FD317', /^Health check names Job with apiVersion v1: Job is served as batch\/v1$/, /Set apiVersion: batch\/v1 on the Job entry of spec\.healthChecks/],
    ['FD111/trigger/waits-on-failed-helmrelease-health-check.yaml', 'FD111', /^New spec waits for a health check that cannot pass: HelmRelease\/apps\/web failed$/, /Fix HelmRelease\/apps\/web first/],
    ['FD408/trigger/flux-crd-stored-version-dropped.yaml', 'FD408', /^CRD helmreleases\.helm\.toolkit\.fluxcd\.io cannot drop v2beta1: objects are still stored as v2beta1 \(run flux migrate before this Flux upgrade\)$/, /flux --context \S+ migrate/],
    ['FD226/trigger/s3-regional-endpoint-redirect.yaml', 'FD226', /^S3 redirects requests for bucket fleet-manifests: it is not in the region of spec\.endpoint \(s3\.eu-central-1\.amazonaws\.com, eu-central-1\)$/, /get-bucket-location --bucket fleet-manifests/],
    ['FD208/trigger/oci-acr-without-provider.yaml', 'FD208', /^Azure Container Registry acmeprod\.azurecr\.io refused an anonymous pull: set spec\.provider: azure on OCIRepository apps-manifests$/, /a static token in a Secret stops working when it expires/],
    ['FD214/trigger/git-tag-ref-head-mode.yaml', 'FD214', /^Commit b454a93e4946 is not signed by a trusted key: spec\.verify\.mode HEAD checks the commit of tag v1\.4\.0, not the tag$/, /set spec\.verify\.mode: Tag/],
    ['FD214/trigger/git-commit-unsigned.yaml', 'FD214', /^Commit b454a93e4946 is not signed by a trusted key$/, /./],
    ['FD530/trigger/interval-too-short-timeout.yaml', 'FD530', /^Image repository scan failed \(registry unreachable\) with spec\.interval 10ms: the registry is listed almost continuously$/, /Set it to minutes/],
    ['FD408/trigger/release-already-exists-concurrent-writer.yaml', 'FD408', /^Another writer recorded the same Helm revision at the same time \(release: already exists\)$/, /grep helm-controller/],
    ['FD535/trigger/semver-range-over-prefixed-tags.yaml', 'FD535', /^No tag matches semver range >=1\.0\.0: the version tags carry the prefix main- \(main-1\.4\.2, main-1\.4\.1, main-1\.4\.0\)$/, /pattern: '\^main-\(\?P<version>\.\*\)\$' and extract: '\$version'/],
    ['FD035/trigger/second-shard-selects-first-shards-objects.yaml', 'FD035', /^1 Flux object is reconciled by two kustomize-controller shards at once: Kustomization\/application1-namespace\/application1-name$/, /Make the selectors disjoint/],
    ['FD313/trigger/namespace-being-terminated.yaml', 'FD313', /^Namespace events is being deleted: objects in it keep finalizers \(kafka\.strimzi\.io\/topic-operator in 2 resource instances\)$/, /get namespace events -o yaml/],
    ['FD413/trigger/namespace-being-terminated.yaml', 'FD413', /^Namespace orders is being deleted: the namespace controller cannot list every API/, /get namespace orders -o yaml/],
  ])('%s', async (file, rule, title, step) => {
    const f = (await findingsOf(file)).find((x) => x.rule === rule)!;
    expect(f.title).toMatch(title);
    expect(f.remediation.map((r) => `${r.description} ${r.command ?? ''}`).join('\n')).toMatch(step);
  });
});
