// `parse error at (<chart>/templates/<file>:<line>): function "<name>" not defined` (Helm pkg/engine cleanParseError of
// Go text/template's `template: <file>:<line>: function "<name>" not defined`): the template calls a function the Helm
// SDK inside helm-controller does not have. Template functions Helm added since Flux 2.x embedded it (helm/helm
// pkg/engine/funcs.go and its sprig version, per tag), with the first helm-controller that embeds such a Helm
// (helm-controller go.mod per tag; Flux release manifests).
import type { RuleHit } from '../types';

const ADDED: Record<string, { helm: string; flux: string }> = {
  sha512sum: { helm: '3.16', flux: '2.4' }, // sprig v3.3.0
  fromToml: { helm: '3.17', flux: '2.5' },
  toYamlPretty: { helm: '3.17', flux: '2.5' },
  mustToYaml: { helm: '4.0', flux: '2.8' },
  mustToJson: { helm: '4.0', flux: '2.8' },
  mustToToml: { helm: '4.2', flux: '2.9' },
};

// helm-controller minor (image tag) → the Helm minor it embeds.
const EMBEDS: [RegExp, string][] = [
  [/^v0\.36\./, '3.12'], [/^v0\.37\./, '3.13'], [/^v1\.0\./, '3.14'], [/^v1\.1\./, '3.16'], [/^v1\.[23]\./, '3.17'],
  [/^v1\.4\./, '3.19'], [/^v1\.5\.[0-4]$/, '4.1'], [/^v1\.5\.\d+$/, '4.2'], [/^v1\.6\./, '4.2'],
];

const NOT_DEFINED = /function "(\w+)" not defined/;

function older(a: string, b: string): boolean {
  const [am, an] = a.split('.').map(Number);
  const [bm, bn] = b.split('.').map(Number);
  return am! < bm! || (am === bm && an! < bn!);
}

/** `controllerTag`: helm-controller's image tag when the snapshot has it; `chart`: `<name>@<version>` from the message. */
export function templateFunctionHint(tail: string, controllerTag: string | null, chart: string | null): Partial<RuleHit> | null {
  const fn = tail.match(NOT_DEFINED)?.[1];
  if (!fn) return null;
  const added = ADDED[fn];
  const embeds = controllerTag ? EMBEDS.find(([re]) => re.test(controllerTag))?.[1] : undefined;
  const which = chart ? `chart ${chart}` : 'the chart';
  const pin = { description: `Or pin the chart to the previous version in Git (spec.chart.spec.version, or the tag of the chart's OCIRepository) until Flux is upgraded` };
  const steps = [
    { description: 'See the version of helm-controller, which embeds the Helm SDK', command: 'flux --context {context} check' },
    ...(added ? [{ description: `Upgrade Flux to ${added.flux} or later (its helm-controller embeds Helm ${added.helm}+)` }] : []),
    pin,
    { description: 'Run the release again with the new chart or controller', command: 'flux --context {context} reconcile helmrelease {name} -n {namespace} --with-source' },
  ];
  if (added && (!embeds || older(embeds, added.helm))) {
    const here = embeds ? `this helm-controller (${controllerTag}) embeds Helm ${embeds}` : `Flux before ${added.flux} embeds an older Helm`;
    return {
      title: `${which[0]!.toUpperCase()}${which.slice(1)} needs Helm ${added.helm}+ for ${fn}(): upgrade Flux to ${added.flux}+ or pin the previous chart version`,
      explanation: `The chart's templates call ${fn}, a template function Helm added in ${added.helm}. helm-controller renders charts with the Helm SDK compiled into it, and ${here}, so the chart cannot even be parsed, whatever the values. Upgrade Flux to ${added.flux} or later, or pin the chart to the version before it started using ${fn}.`,
      evidence: embeds ? [`helm-controller ${controllerTag} embeds Helm ${embeds}; ${fn} needs Helm ${added.helm}`] : [],
      remediation: steps,
      replaceRemediation: true,
    };
  }
  return {
    title: `${which[0]!.toUpperCase()}${which.slice(1)} calls a template function Helm does not know: ${fn}`,
    explanation: `The chart's templates call ${fn}, which the Helm SDK compiled into helm-controller does not define, so the chart cannot be parsed, whatever the values. Usually the chart was written for a newer Helm than this helm-controller embeds (check the chart's release notes, then upgrade Flux); otherwise it is a typo or a function of a Helm fork in the chart, and only another chart version helps.`,
    remediation: steps,
    replaceRemediation: true,
  };
}
