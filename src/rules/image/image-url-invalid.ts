import { conditionRule } from '../define';
import { conditionEvidence } from '../evidence';
import type { KubeObject } from '../../snapshot/schema';
import type { RuleHit } from '../types';
import { TOKEN_SCOPE_REJECTED, refState } from './messages';

/** The token endpoint refused the scope built from spec.image: the image names no repository it knows how to scope. */
function tokenScopeHit(obj: KubeObject, message: string): Partial<RuleHit> {
  const scope = message.match(/scope=([^&\s:]+)/)?.[1];
  const repo = scope ? decodeURIComponent(scope).match(/^repository:([^:]+):/)?.[1] : undefined;
  const image = String(obj.spec?.image ?? '');
  return {
    vars: { repository: obj.metadata.name, repositoryNamespace: obj.metadata.namespace ?? '' },
    title: `The registry's token endpoint rejected the image path (HTTP 400): spec.image ${image} probably lacks the repository part`,
    explanation: `To list tags, image-reflector-controller asks the registry's token endpoint for pull access to the repository named by spec.image${repo ? ` (here ${repo})` : ''}. The endpoint answered 400 Bad Request: it cannot scope a token to that path, which happens when spec.image is the registry or namespace root rather than an image repository (DigitalOcean: registry.digitalocean.com/<registry>/<repository>). Nothing is scanned until spec.image names a repository.`,
    remediation: [{ description: `Set spec.image to the full repository path of the image (e.g. ${image.replace(/\/+$/, '')}/<repository>), as in docker pull, then scan again` }],
  };
}

/**
 * Why go-containerregistry's name.ParseReference (`could not parse reference: <image>`) refused spec.image: repository
 * paths take only `abcdefghijklmnopqrstuvwxyz0123456789_-./` (no upper case), tags `[A-Za-z0-9_.-]`, and the registry
 * is the first element only when it looks like a host (a dot, a port or localhost).
 */
function referenceProblem(image: string): { problem: string; fixed?: string } | null {
  const [beforeDigest] = image.split('@');
  const parts = beforeDigest!.split('/');
  const hasRegistry = parts.length > 1 && /[.:]|^localhost$/.test(parts[0]!);
  const registry = hasRegistry ? parts.shift()! : '';
  const last = parts.pop() ?? '';
  const [lastName, tag] = last.includes(':') ? [last.slice(0, last.lastIndexOf(':')), last.slice(last.lastIndexOf(':') + 1)] : [last, undefined];
  const repository = [...parts, lastName].join('/');
  if (/[A-Z]/.test(repository)) {
    const fixedRepo = repository.toLowerCase();
    return { problem: `the repository path ${repository} has upper-case letters (repository names are lower case)`, fixed: `${registry ? `${registry}/` : ''}${fixedRepo}${tag !== undefined ? `:${tag}` : ''}` };
  }
  const bad = [...new Set(repository.replace(/[a-z0-9._/-]/g, ''))];
  if (bad.length > 0) return { problem: `the repository path ${repository} has characters a reference cannot have: ${bad.join(' ')}` };
  if (tag !== undefined && !/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/.test(tag)) return { problem: `the tag ${tag} has characters a tag cannot have` };
  return null;
}

export default conditionRule({
  code: 'FD532',
  slug: 'image-url-invalid',
  category: 'image-automation-failed',
  severity: 'error',
  kinds: ['ImageRepository', 'ImagePolicy'],
  title: 'Invalid image reference',
  signals: [
    "Stalled=True (and Ready=False) ImageURLInvalid: image '<image>' should not include URL scheme; remove '<scheme>://' / image '<image>' should not include a tag; remove ':<tag>' / <go-containerregistry parse error>",
    'ImageRepository Ready=False ReadOperationFailed (scan failed: …) or ReconciliationFailed (Flux 0.x): GET https://<token endpoint>?scope=repository:<repo>:pull…: unexpected status code 400 Bad Request (DigitalOcean /v2/registry/auth, Docker /token) → the registry cannot issue a token for that repository: spec.image is usually the registry root without a repository path (fluxcd/flux2#2477)',
    'ImagePolicy: the same, for the image of the ImageRepository it refers to → blocked by that ImageRepository',
    'ImageURLInvalid: could not parse reference: <image> (go-containerregistry name.ParseReference): spec.image is checked and the fault named: upper case in the repository path (lower case only), other characters outside [a-z0-9._/-], or an invalid tag',
  ],
  explanation: 'spec.image must be a plain repository reference such as ghcr.io/org/app: no scheme (https://, oci://) and no tag or digest; the tags are what the scan lists. image-reflector-controller cannot parse it, so the object is stalled and Flux will not retry until the spec changes. An ImagePolicy reports the same error when the ImageRepository it uses has an invalid image.',
  remediation: [
    { description: 'See the image reference', command: 'kubectl --context {context} -n {repositoryNamespace} get imagerepository {repository} -o jsonpath=\'{.spec.image}\'' },
    { description: 'Fix spec.image in Git (e.g. ghcr.io/org/app, without scheme or tag), then scan again', command: 'flux --context {context} reconcile image repository {repository} -n {repositoryNamespace}' },
  ],
  when: [
    { type: 'Stalled', status: 'True', reasons: ['ImageURLInvalid'] },
    { type: 'Ready', status: 'False', reasons: ['ImageURLInvalid'] },
    { type: 'Ready', status: 'False', reasons: ['ReadOperationFailed', 'ReconciliationFailed'], message: TOKEN_SCOPE_REJECTED },
  ],
  refine(obj, { index }, { condition }) {
    if (TOKEN_SCOPE_REJECTED.test(condition.message ?? '')) return obj.kind === 'ImageRepository' ? tokenScopeHit(obj, condition.message ?? '') : null;
    if (obj.kind === 'ImageRepository') {
      const vars = { repository: obj.metadata.name, repositoryNamespace: obj.metadata.namespace ?? '' };
      const image = typeof obj.spec?.image === 'string' ? obj.spec.image : '';
      const found = /could not parse reference: /.test(condition.message ?? '') && image ? referenceProblem(image) : null;
      if (!found) return { vars };
      return {
        vars,
        title: `spec.image ${image} is not a valid image reference: ${found.problem}`,
        remediation: [{ description: found.fixed ? `Write spec.image as ${found.fixed} in Git (registries serve repository names in lower case); the object is stalled until the spec changes` : 'Fix spec.image in Git; the object is stalled until the spec changes' }],
      };
    }
    const name = obj.spec?.imageRepositoryRef?.name;
    if (!name) return {};
    const ref = { kind: 'ImageRepository', namespace: obj.spec.imageRepositoryRef.namespace ?? obj.metadata.namespace, name };
    return {
      vars: { repository: name, repositoryNamespace: ref.namespace ?? '' },
      blockedBy: [ref],
      evidence: [conditionEvidence(condition), refState(index, ref)],
    };
  },
});
