// Ready=False ChartMutateError (helm-controller internal/controller/helmrelease_controller.go, v1.0+ / Flux 2.3+): with a
// spec.chartRef to an OCIRepository (or ExternalArtifact, 2.7+) helm-controller appends the artifact digest to the chart
// version, after checking that the tag of the revision (`<tag>@<digest>`) is the version in the chart's Chart.yaml:
// `artifact revision <tag> does not match chart version <version>` (v1.0 compared the strings, so a `v` prefix or
// `_` for `+` differed; v1.1+ compares semver, `_` read as `+` from v1.2), `failed parsing artifact revision <tag>`
// (v1.1–v1.3: a tag that is no semver; v1.4+ then uses the digest alone), `invalid chart version <v>` (v1.4+; the raw
// semver error before), `invalid artifact revision <rev>` (no `<algorithm>:<digest>`).
import { chartOf, refKey } from '../../flux/refs';
import { conditionRule } from '../define';
import { conditionEvidence } from '../evidence';
import type { RuleHit } from '../types';
import { helmVars, objectLine } from './release';

const MISMATCH = /artifact revision (\S+) does not match chart version (\S+)/;
const NOT_SEMVER_TAG = /failed parsing artifact revision (\S+)/;
const BAD_CHART_VERSION = /invalid chart version (\S+)|Invalid Semantic Version/;

const same = (v: string) => v.replace(/^v/, '').replace(/_/g, '+');

function cause(message: string, sourceKey: string): Partial<RuleHit> {
  const m = message.match(MISMATCH);
  if (m) {
    const [, tag, version] = m;
    if (same(tag!) === same(version!)) {
      return {
        title: `OCI tag ${tag} and chart version ${version} differ only in notation: helm-controller v1.0 (Flux 2.3) compares them as strings`,
        explanation: `helm-controller checks that the tag of ${sourceKey} is the chart's version. On helm-controller v1.0 (Flux 2.3) it compared the strings, so a v prefix or the _ that OCI tags use for + made ${tag} and ${version} differ; v1.1 (Flux 2.4) compares versions, and v1.2 (Flux 2.5) reads _ as +. Upgrade Flux, or use a tag written exactly as the chart version.`,
      };
    }
    return {
      title: `The OCI artifact tagged ${tag} holds chart version ${version}`,
      explanation: `helm-controller checks that the tag of ${sourceKey} is the version in the chart's Chart.yaml, and the chart published under ${tag} says ${version}: the publisher pushed a chart under a tag that does not match its version (a release candidate re-tagged, a Chart.yaml not bumped). helm-controller refuses it rather than install a chart whose version lies; nothing is installed or upgraded. Pin another tag or a digest whose chart matches, and report it to the chart publisher.`,
    };
  }
  const tag = message.match(NOT_SEMVER_TAG)?.[1];
  if (tag) {
    return {
      title: `OCI tag ${tag} is no semver version: helm-controller v1.1–v1.3 (Flux 2.4–2.6) cannot check it against the chart`,
      explanation: `helm-controller v1.1 to v1.3 require the tag of ${sourceKey} to be a semver version to compare it with the chart's version; ${tag} is not. From v1.4 (Flux 2.7) a tag that is no version is skipped and the digest is used. Point the OCIRepository at the semver tag of the chart, or upgrade Flux.`,
    };
  }
  if (BAD_CHART_VERSION.test(message)) {
    return {
      title: 'The chart\'s version in Chart.yaml is no semver version',
      explanation: `The chart in ${sourceKey} declares a version that is not SemVer 2, which Helm requires, so helm-controller cannot tag it with the artifact digest. Use another chart version, and report it to the chart publisher.`,
    };
  }
  return {};
}

export default conditionRule({
  code: 'FD432',
  slug: 'helm-chart-version-mismatch',
  category: 'chart-not-found',
  severity: 'error',
  kinds: ['HelmRelease'],
  title: 'Chart from the OCI artifact cannot be matched with its revision',
  signals: [
    'Ready=False ChartMutateError (spec.chartRef to an OCIRepository/ExternalArtifact, Flux 2.3+): artifact revision <tag> does not match chart version <version>',
    '… failed parsing artifact revision <tag> (helm-controller v1.1–v1.3: a tag that is no semver) / invalid chart version <v> / invalid artifact revision <rev>',
    'a tag and version that differ only in a v prefix or _ for + are the string comparison of helm-controller v1.0 (Flux 2.3)',
  ],
  explanation: 'With spec.chartRef to an OCIRepository, helm-controller checks that the tag of the artifact revision (<tag>@<digest>) is the version in the chart\'s Chart.yaml before it appends the digest to the chart version, and that check failed. Nothing is installed or upgraded until the source serves a chart whose version matches its tag; the release already installed keeps running.',
  remediation: [
    { description: 'See the reference and artifact revision of the chart source', command: 'kubectl --context {context} -n {sourceNamespace} get {sourceResource} {sourceName} -o jsonpath=\'{.spec.ref}{" "}{.status.artifact.revision}{"\\n"}\'' },
    { description: 'In Git, pin spec.ref of the chart source to another tag or a digest whose chart version matches, and report the mismatch to the chart publisher' },
    { description: 'Fetch the chart again and retry', command: 'flux --context {context} reconcile helmrelease {name} -n {namespace} --with-source' },
  ],
  when: { type: 'Ready', status: 'False', reasons: ['ChartMutateError'] },
  refine(obj, { index }, { condition }) {
    const vars = helmVars(obj);
    const evidence = [conditionEvidence(condition)];
    const chart = chartOf(obj);
    if (chart) {
      vars.sourceName = chart.name;
      vars.sourceNamespace = chart.namespace ?? obj.metadata.namespace ?? '';
      vars.sourceResource = chart.kind.toLowerCase();
      const source = index.get(chart);
      if (source) {
        evidence.push(objectLine(index, chart));
        if (source.spec?.ref) evidence.push(`${refKey(chart)} spec.ref: ${JSON.stringify(source.spec.ref)}`);
      }
    }
    return { vars, evidence, ...cause(condition.message ?? '', chart ? refKey(chart) : 'the chart source') };
  },
});
