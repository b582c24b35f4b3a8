// Two readings of a refused HelmChart pull that are not "wrong credentials": a package served from another host than
// the repository (Helm withholds the credentials), and an ECR repository path that does not exist (ECR answers 403).
import { condition } from '../../flux/conditions';
import type { KubeObject } from '../../snapshot/schema';
import type { RuleHit } from '../types';

/** `scheme://host[:port]` as written: Helm's getter compares url.URL Scheme and Host, which keep an explicit :443. */
function origin(url: string): string | null {
  const m = url.match(/^([a-z][a-z0-9+.-]*):\/\/(?:[^@/]*@)?([^/?#]+)/i);
  return m ? `${m[1]!.toLowerCase()}://${m[2]!.toLowerCase()}` : null;
}

/**
 * The package URL of a 401/403 download, when the repository is Ready with a secretRef (its index loads with the
 * credentials) but the package lives at another scheme/host/port and spec.passCredentials is not set.
 */
export function packageOnOtherHost(message: string, repo: KubeObject | undefined): { packageHost: string; repoHost: string } | null {
  const m = message.match(/failed to fetch (https?:\/\/\S+?\.tgz) : 40[13]\b/);
  if (!m || !repo?.spec?.secretRef?.name || repo.spec.passCredentials === true) return null;
  if (condition(repo, 'Ready')?.status !== 'True' || typeof repo.spec.url !== 'string') return null;
  const pkg = origin(m[1]!);
  const own = origin(repo.spec.url);
  if (!pkg || !own || pkg === own) return null;
  return { packageHost: pkg.replace(/^[^:]+:\/\//, ''), repoHost: own.replace(/^[^:]+:\/\//, '') };
}

export function passCredentialsHit(repoName: string, where: { packageHost: string; repoHost: string }): Partial<RuleHit> {
  return {
    title: `Chart package is served from ${where.packageHost}, not ${where.repoHost}: HelmRepository ${repoName} credentials are not sent there without spec.passCredentials`,
    explanation: 'The repository index loads with the credentials of the HelmRepository\'s spec.secretRef, but the index lists the chart package under another host or port (Artifactory, for instance, writes package URLs with an explicit :443 or another host name). Since Helm 3.6.1 (source-controller v0.15.1 and later), credentials are sent only to the scheme, host and port of spec.url unless spec.passCredentials is true, so the package download goes out anonymously and is refused. The installed release keeps running; no new chart version is installed until the pull works.',
    remediation: [
      { description: 'See spec.url and spec.passCredentials of HelmRepository {repoName} (packages are listed at {packageHost}, spec.url is at {repoHost})', command: 'kubectl --context {context} -n {repoNamespace} get helmrepository {repoName} -o jsonpath=\'{.spec.url}{" "}{.spec.passCredentials}{"\\n"}\'' },
      { description: 'Set spec.passCredentials: true on HelmRepository {repoName} in Git (only if you trust {packageHost} with these credentials), or make spec.url use the host and port the packages are served from; then refresh the index and pull again', command: 'flux --context {context} reconcile source helm {repoName} -n {repoNamespace}' },
    ],
  };
}

/** An OCI chart reference whose repository URL already ends in the chart name (`…/db-toolbox` + `db-toolbox`). */
export function chartNameTwice(repoUrl: string | undefined, chart: unknown): boolean {
  if (typeof repoUrl !== 'string' || typeof chart !== 'string' || !/^oci:\/\//.test(repoUrl)) return false;
  return repoUrl.replace(/\/+$/, '').split('/').pop() === chart;
}

/** ECR: the region and repository path of an oci://<account>.dkr.ecr.<region>.amazonaws.com/<path> chart reference. */
export function ecrRepository(ociChart: string | undefined): { region: string; repository: string } | null {
  const m = ociChart?.match(/^oci:\/\/\d+\.dkr\.ecr(?:-fips)?\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?\/(.+)$/);
  return m ? { region: m[1]!, repository: m[2]! } : null;
}
