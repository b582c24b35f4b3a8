// The shape shared by the rules of this family: a rule takes one or more classes of classify() and adds its reading.
import type { ObjRef } from '../../flux/refs';
import type { ClusterIndex } from '../../snapshot/indexes';
import type { KubeObject } from '../../snapshot/schema';
import { defineRule } from '../define';
import type { Rule, RuleContext, RuleHit, RuleMeta } from '../types';
import { chartSource, classify, failureEvidence, isBlocking, nounOf, sourceVars, stateLine, type Classified, type SourceClass } from './classify';

export interface BaseHit {
  evidence: string[];
  vars: Record<string, string>;
  since: string | null;
}

export interface SourceRuleSpec extends RuleMeta {
  classes: SourceClass[];
  /** Enrich the hit (title, vars, evidence, blockedBy, severity); return null to decline. */
  refine?: (obj: KubeObject, ctx: RuleContext, found: Classified, base: BaseHit) => Partial<RuleHit> | null;
}

export function sourceRule(spec: SourceRuleSpec): Rule {
  const { classes, refine, ...meta } = spec;
  return defineRule({
    ...meta,
    match(obj, ctx) {
      const found = classify(obj, ctx.index);
      if (!found || !classes.includes(found.cls)) return null;
      const base: BaseHit = {
        evidence: failureEvidence(obj, found.condition),
        vars: sourceVars(obj, ctx.index),
        since: found.condition.lastTransitionTime ?? null,
      };
      const extra = refine ? refine(obj, ctx, found, base) : {};
      if (extra === null) return null;
      return { ...base, ...extra, vars: { ...base.vars, ...(extra.vars ?? {}) } };
    },
  });
}

/** The host of a source URL (`https://host/…`, `ssh://git@host:22/…`, `git@host:org/repo`, `oci://host/…`), or of a Bucket endpoint. */
export function hostOf(obj: KubeObject): string | null {
  const url = typeof obj.spec?.url === 'string' ? obj.spec.url : typeof obj.spec?.endpoint === 'string' ? obj.spec.endpoint : null;
  if (!url) return null;
  const scp = url.match(/^[\w.-]+@([\w.-]+):(?!\d+\/)/);
  if (scp) return scp[1]!;
  const m = url.match(/^(?:[a-z][a-z0-9+.-]*:\/\/)?(?:[^@/]*@)?([^/:?#]+)/i);
  return m?.[1] ?? null;
}

/** A Git URL again under the name of its transport, so that credentials steps show only for their kind of URL. */
export function gitUrlVars(url: unknown): Record<string, string> {
  if (typeof url !== 'string' || !url) return {};
  return /^ssh:|^[\w.-]+@[\w.-]+:/.test(url) ? { sshUrl: url } : /^https?:/i.test(url) ? { httpsUrl: url } : {};
}

/** The port a source URL connects to: explicit, else the scheme's default (SSH 22, HTTP 80, HTTPS and OCI 443). */
export function portOf(obj: KubeObject): string | null {
  const url = typeof obj.spec?.url === 'string' ? obj.spec.url : typeof obj.spec?.endpoint === 'string' ? obj.spec.endpoint : null;
  if (!url) return null;
  if (/^[\w.-]+@[\w.-]+:(?!\d+\/)/.test(url)) return '22';
  const explicit = url.match(/^(?:[a-z][a-z0-9+.-]*:\/\/)?(?:[^@/]*@)?[^/:?#]+:(\d+)/i);
  if (explicit) return explicit[1]!;
  if (/^ssh:/i.test(url)) return '22';
  if (/^http:/i.test(url) || (obj.kind === 'Bucket' && obj.spec?.insecure === true)) return '80';
  return '443';
}

/** The OCI reference spec.ref of an OCIRepository names (`<url>:<tag>`, `<url>@<digest>`); a placeholder tag for semver. */
export function ociArtifactRef(obj: KubeObject): string | null {
  const url = typeof obj.spec?.url === 'string' ? obj.spec.url.replace(/\/+$/, '') : null;
  if (!url) return null;
  const ref = obj.spec?.ref ?? {};
  // Precedence as in the controller: digest, then semver (a tag the condition does not name), then tag, else `latest`.
  if (typeof ref.digest === 'string' && ref.digest) return `${url}@${ref.digest}`;
  if (typeof ref.semver === 'string' && ref.semver) return `${url}:<tag>`;
  if (typeof ref.tag === 'string' && ref.tag) return `${url}:${ref.tag}`;
  return `${url}:latest`;
}

export interface ChartContext {
  repo: ObjRef | null;
  repoObj: KubeObject | undefined;
  /** The HelmRelease whose spec.chart generated this HelmChart, if any. */
  release: ObjRef | null;
  vars: Record<string, string>;
  evidence: string[];
  /** The repository, when it has a problem of its own (failing, suspended, never reconciled). */
  blockedBy: ObjRef[];
}

/** What a HelmChart depends on (its repository) and what depends on it (the HelmRelease that generated it). */
export function chartContext(obj: KubeObject, index: ClusterIndex): ChartContext {
  const repo = chartSource(obj);
  const repoObj = repo ? index.get(repo) : undefined;
  const vars: Record<string, string> = {};
  const evidence: string[] = [];
  const blockedBy: ObjRef[] = [];
  if (repo) {
    vars.repoKind = repo.kind;
    vars.repoName = repo.name;
    vars.repoNamespace = repo.namespace ?? obj.metadata.namespace ?? '';
    const noun = nounOf(repo.kind);
    if (noun) vars.repoNoun = noun;
    const oci = typeof repoObj?.spec?.url === 'string' && /^oci:\/\//.test(repoObj.spec.url);
    if (typeof repoObj?.spec?.url === 'string') {
      vars.repoUrl = repoObj.spec.url;
      if (oci) {
        if (typeof obj.spec?.chart === 'string') vars.ociChart = `${repoObj.spec.url.replace(/\/+$/, '')}/${obj.spec.chart}`;
      } else if (repo.kind === 'HelmRepository') vars.httpRepoUrl = repoObj.spec.url;
    }
    // Only an object with an artifact can be refreshed: an OCI HelmRepository is static (charts are pulled directly).
    if (repoObj && !oci && repoObj.spec?.type !== 'oci') {
      vars.refreshRepo = repo.name;
      vars.refreshWhat = repo.kind === 'HelmRepository' ? 'the repository index' : `the newest revision of ${repo.kind} ${repo.name}`;
    }
    if (repoObj?.spec?.secretRef?.name) vars.repoSecretName = repoObj.spec.secretRef.name;
    if (repoObj && isBlocking(index, repo)) {
      blockedBy.push(repo);
      evidence.push(stateLine(index, repo));
    }
  }
  const self: ObjRef = { kind: obj.kind, namespace: obj.metadata.namespace, name: obj.metadata.name };
  const hrEdge = index.downstream(self).find((e) => e.ref.kind === 'HelmRelease');
  const release = hrEdge?.ref ?? null;
  if (release) {
    vars.helmRelease = release.name;
    vars.helmReleaseNamespace = release.namespace ?? '';
  }
  return { repo, repoObj, release, vars, evidence, blockedBy };
}

/**
 * For a HelmChart, adds what its repository contributes to a hit: the repository's vars, its state when it blocks
 * the chart, and (for credential problems) its Secret, since a chart is pulled with its repository's credentials.
 */
export function addChartContext(obj: KubeObject, index: ClusterIndex, hit: { vars: Record<string, string>; evidence: string[]; blockedBy: ObjRef[] }, options: { credentials?: boolean } = {}): void {
  if (obj.kind !== 'HelmChart') return;
  const chart = chartContext(obj, index);
  Object.assign(hit.vars, chart.vars);
  if (options.credentials && chart.vars.repoSecretName) hit.vars.secretName = chart.vars.repoSecretName;
  hit.evidence.push(...chart.evidence);
  hit.blockedBy.push(...chart.blockedBy);
}
