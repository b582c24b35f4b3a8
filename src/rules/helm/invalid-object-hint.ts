// A chart object the API server rejected on validation (apimachinery field errors), with the one rejection whose
// usual cause is not in the values: a name or label value over 63 characters, built from the release name.
import type { RuleHit } from '../types';
import { nodePortHint } from './node-port-hint';

export function invalidObjectHint(m: RegExpMatchArray): Partial<RuleHit> {
  const [, kind, name, rawPath, what, rest] = m;
  const path = rawPath!.replace(/\s+/g, '');
  const port = kind === 'Service' && /nodePort$/i.test(path) ? (rest ?? '').match(/^: (\d+): (.*)/) : null;
  const nodePort = port ? nodePortHint(name!, path, port[1]!, port[2]!) : null;
  if (nodePort) return nodePort;
  const tooLong = /must be no more than 63 characters?/.test(rest ?? '');
  if (tooLong) {
    return {
      title: `The API server rejected ${kind}/${name}: ${path} longer than 63 characters`,
      explanation: 'A label value or DNS-1123 label the chart builds (usually from the release name, the chart\'s fullname and a suffix such as a hook Job\'s timestamp) is longer than the 63 characters Kubernetes allows. The chart is fine with a shorter name: set a shorter spec.releaseName, or the chart\'s fullnameOverride / nameOverride in spec.values (helm-controller names the release <targetNamespace>-<name> when spec.targetNamespace is set and no releaseName is given, which makes names longer).',
      remediation: [{ description: `Shorten the names the chart derives: spec.releaseName or values.fullnameOverride in Git (the value ${path} is built from them)`, command: 'kubectl --context {context} -n {namespace} get helmrelease {name} -o jsonpath=\'{.spec.releaseName}{" "}{.spec.targetNamespace}{" "}{.spec.values.fullnameOverride}\'' }],
    };
  }
  return {
    title: `The API server rejected ${kind}/${name}: ${path} ${what!.toLowerCase()}`,
    explanation: 'The chart rendered an object the API server considers invalid (a required field is empty, a value is out of range or not among the allowed ones). Usually a value the chart expects was not set or has the wrong form in spec.values / valuesFrom; sometimes the chart version does not support this Kubernetes version.',
    remediation: [{ description: `Render the chart with the same values and look at ${path} of ${kind}/${name}`, command: 'helm --kube-context {context} get values {releaseName} -n {storageNamespace}' }],
  };
}
