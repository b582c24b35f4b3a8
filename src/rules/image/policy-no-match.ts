import { conditionRule } from '../define';
import { conditionEvidence } from '../evidence';
import { EMPTY_LIST } from './messages';

/**
 * Version tags that all carry a pre-release part (`3.12.0-1`, `1.4.2-debian-12-r3`): SemVer ranges skip pre-releases
 * unless the range names one (Masterminds semver, as image-reflector-controller uses it), so a range such as 3.12.*
 * matches none of them. Only when the scanned version tags are pre-releases and none is a plain release.
 */
function prereleaseTags(range: string, tags: unknown[]): string[] {
  if (range.includes('-')) return [];
  const versions = tags.filter((t): t is string => typeof t === 'string' && /^v?\d+\.\d+\.\d+(?:[-+]|$)/.test(t));
  const pre = versions.filter((t) => /^v?\d+\.\d+\.\d+-[0-9A-Za-z]/.test(t));
  return pre.length > 0 && pre.length === versions.length ? pre : [];
}

/**
 * Tags that are a version behind a common prefix (`master-0.14`, `release-1.2.3`): no semver range can match them as
 * they are, and no plain version tag exists. spec.filterTags with a named group and extract hands the policy the version.
 */
function prefixedVersionTags(tags: unknown[]): { prefix: string; examples: string[] } | null {
  const strings = tags.filter((t): t is string => typeof t === 'string');
  if (strings.length === 0 || strings.some((t) => /^v?\d+(?:\.\d+)*(?:[-+].*)?$/.test(t))) return null;
  const parsed = strings.map((t) => t.match(/^([A-Za-z][\w.]*?[-_])v?\d+(?:\.\d+){0,2}$/));
  const prefixes = new Set(parsed.map((m) => m?.[1]).filter(Boolean));
  const matching = parsed.filter(Boolean).length;
  if (prefixes.size !== 1 || matching < Math.max(2, strings.length / 2)) return null;
  return { prefix: [...prefixes][0]!, examples: strings.filter((_, i) => parsed[i]).slice(0, 3) };
}

/** The range rewritten to admit pre-releases, for `M.m.*`/`M.m.x`; else the general form. */
function withPrerelease(range: string): string {
  const line = range.trim().match(/^v?(\d+)\.(\d+)\.[*xX]$/);
  return line ? `>=${line[1]}.${line[2]}.0-0 <${line[1]}.${Number(line[2]) + 1}.0-0 instead of ${range}` : 'e.g. >=1.2.3-0: a bound with -0 admits the pre-releases from it on';
}

export default conditionRule({
  code: 'FD535',
  slug: 'image-policy-no-match',
  category: 'image-automation-failed',
  severity: 'error',
  kinds: ['ImagePolicy'],
  title: 'No tag matches the image policy',
  signals: [
    'Ready=False Failure (metav1.StatusFailure): unable to determine latest version from provided list (semver: no tag in range) / version list argument cannot be empty (the tag filter left nothing) / failed to parse invalid numeric value \'<tag>\'',
    'v1alpha/v1beta1 (Flux 0.x): Ready=False ReconciliationFailed with the same errors (Cannot determine latest tag for policy: …), or no image found for policy (v1alpha1)',
    'version list argument cannot be empty without spec.filterTags: the tag database is empty (FD533), not a policy mismatch',
    'a semver range, no spec.filterTags, and version tags that all carry one prefix (master-0.14, release-1.2.3): spec.filterTags with pattern ^<prefix>(?P<version>.*)$ and extract $version',
    'a semver range without a pre-release part while every version tag scanned is a SemVer pre-release (3.9.1-1, 1.4.2-debian-12-r3): ranges skip pre-releases unless they name one (>=3.12.0-0 <3.13.0-0)',
  ],
  explanation: 'The ImageRepository\'s tags were read, but none of them passes the policy: no tag satisfies the semver range, spec.filterTags removed every tag, or a numerical policy met a tag that is not a number. Usually the range or the pattern does not fit the tagging scheme in use, or the images were pushed under a new scheme. The policy keeps its previous result (if any), so automations stop updating.',
  remediation: [
    { description: 'See the policy and the tag filter', command: 'kubectl --context {context} -n {namespace} get imagepolicy {name} -o jsonpath=\'{.spec.policy}{"\\n"}{.spec.filterTags}\'' },
    { description: 'Compare with the latest scanned tags', command: 'kubectl --context {context} -n {repositoryNamespace} get imagerepository {repository} -o jsonpath=\'{.status.lastScanResult.latestTags}\'' },
    { description: 'Fix the range or pattern in Git, then re-evaluate', command: 'flux --context {context} reconcile image policy {name} -n {namespace}' },
  ],
  when: {
    // ReconciliationFailed: v1alpha/v1beta1 (Flux 0.x), whose v1alpha1 said `no image found for policy` for no match.
    type: 'Ready', status: 'False', reasons: ['Failure', 'ReconciliationFailed'],
    message: /unable to determine latest version|version list argument cannot be empty|failed to parse invalid numeric value|no image found for policy/,
  },
  refine(obj, { index }, { condition }) {
    // Without a tag filter an empty version list means an empty tag database: FD533's finding.
    if (EMPTY_LIST.test(condition.message ?? '') && !obj.spec?.filterTags) return null;
    const name = obj.spec?.imageRepositoryRef?.name;
    const vars: Record<string, string> = {};
    const evidence = [conditionEvidence(condition)];
    let scanned: unknown[] = [];
    if (name) {
      const ns = obj.spec.imageRepositoryRef.namespace ?? obj.metadata.namespace;
      vars.repository = name;
      vars.repositoryNamespace = ns;
      const tags = index.get({ kind: 'ImageRepository', namespace: ns, name })?.status?.lastScanResult?.latestTags;
      if (Array.isArray(tags) && tags.length > 0) {
        scanned = tags;
        evidence.push(`latest tags of ImageRepository ${ns}/${name}: ${tags.slice(0, 10).join(', ')}`);
      }
    }
    const policy = obj.spec?.policy?.semver?.range ? `semver range ${obj.spec.policy.semver.range}` : undefined;
    if (policy) evidence.push(`policy: ${policy}${obj.spec?.filterTags?.pattern ? `, filterTags.pattern ${obj.spec.filterTags.pattern}` : ''}`);
    const range = String(obj.spec?.policy?.semver?.range ?? '');
    const pre = range ? prereleaseTags(range, scanned) : [];
    if (pre.length > 0) {
      return {
        vars, evidence,
        title: `No tag matches semver range ${range}: the repository's version tags are SemVer pre-releases (${pre.slice(0, 3).join(', ')}…)`,
        remediation: [
          { description: `In SemVer, ${pre[0]} is a pre-release and a range without a pre-release part skips it: give the range one (${withPrerelease(range)}), or use spec.filterTags with a pattern and extract that keeps only the version part, in Git` },
        ],
      };
    }
    const prefixed = range && !obj.spec?.filterTags ? prefixedVersionTags(scanned) : null;
    if (prefixed) {
      const pattern = `^${prefixed.prefix.replace(/[.]/g, '\\.')}(?P<version>.*)$`;
      return {
        vars, evidence,
        title: `No tag matches semver range ${range}: the version tags carry the prefix ${prefixed.prefix} (${prefixed.examples.join(', ')})`,
        remediation: [
          { description: `A semver range compares the whole tag, and ${prefixed.examples[0]} is not a version. Add spec.filterTags in Git: pattern: '${pattern}' and extract: '$version', so the policy compares the version part (and only tags with that prefix)` },
        ],
      };
    }
    return { vars, evidence };
  },
});
