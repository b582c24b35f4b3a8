// FD405 cases where the ConfigMap/Secret and its key exist but their content cannot be used. fluxcd/pkg chartutil
// (2.2+) puts the cause after `could not resolve … chart values reference '<ns>/<name>' with key '<key>': `: `not
// found` tails are missing objects or keys; with a targetPath the tail is Helm strvals' error setting the value at
// that path, without one the YAML error reading the key. The v2beta1 controller (2.1 and older) says so itself:
// `unable to merge value from key '<k>' in <Kind> '<ns>/<name>' into target path '<p>': <err>` /
// `unable to read values from key '<k>' in <Kind> '<ns>/<name>': <err>`. `assignment to entry in nil map` was a
// helm-controller bug before v0.1.3 when the first valuesFrom entry had a targetPath (fluxcd/helm-controller 3fccbb9);
// content with --set syntax (`key "net:9092" has no value (cannot end with ,)`, fluxcd/flux2#2625) takes
// valuesFrom[].literal (helm-controller v1.6, Flux 2.9).
import type { RuleHit } from '../types';

export const MISSING = /not found|could not find|missing key/i;
const OLD_TARGET_PATH = /into target path '([^']*)': ([\s\S]*)$/;
const OLD_READ = /unable to read values from key '[^']+' in \w+ '[^']+': ([\s\S]*)$/;

const LIST = { description: 'List the values references of the release with their keys and target paths', command: 'kubectl --context {context} -n {namespace} get helmrelease {name} -o jsonpath=\'{range .spec.valuesFrom[*]}{.kind}/{.name} key={.valuesKey} targetPath={.targetPath}{"\\n"}\\{end\\}\'' };
const RETRY = { description: 'Retry once fixed', command: 'flux --context {context} reconcile helmrelease {name} -n {namespace}' };

/** `reason`: the tail of the current format (null for the v2beta1 one); `targetPath` of the matching valuesFrom entry. */
export function valuesContentHint(message: string, reason: string | null, targetPath: string | null, what: string): Partial<RuleHit> | null {
  const old = reason === null ? message.match(OLD_TARGET_PATH) : null;
  const path = old?.[1] ?? (reason !== null && targetPath ? targetPath : null);
  const err = old?.[2] ?? reason;
  if (path !== null && err && !MISSING.test(err)) {
    const nilMap = /assignment to entry in nil map/.test(err);
    return {
      title: `valuesFrom ${what} cannot be set at targetPath ${path}: ${err}`,
      explanation: `helm-controller found ${what} and its key, but could not set the key's content at spec.valuesFrom[].targetPath ${path}. The target path is a Helm --set path (a.b[0].c, dots inside a key escaped as \\.), and the content is set as one value.${nilMap ? ' `assignment to entry in nil map` is a bug of helm-controller before v0.1.3 (Flux 0.x), hit when the first valuesFrom entry has a targetPath: upgrade Flux, or list an entry without targetPath first.' : ' The content goes through the same parser, so commas, brackets, dots or = in it are read as --set syntax (e.g. a host:port list): set literal: true on the entry (Flux 2.9+) to take it verbatim, or fix the target path.'}`,
      remediation: [LIST, { description: nilMap ? 'Upgrade Flux (helm-controller v0.1.3 or later), or put a valuesFrom entry without targetPath first' : `In Git, set literal: true on the entry with targetPath ${path} (Flux 2.9+) when its content holds --set syntax, or fix the path`, ...(nilMap ? { command: 'flux --context {context} check' } : {}) }, RETRY],
      replaceRemediation: true,
    };
  }
  const read = reason === null ? message.match(OLD_READ)?.[1] : path === null && reason && !MISSING.test(reason) ? reason : undefined;
  if (!read) return null;
  return {
    title: `valuesFrom ${what} does not hold valid values YAML: ${read}`,
    explanation: `helm-controller found ${what} and its key, but its content is not a YAML map of values (a syntax error, tabs, or a scalar or list at the top level), so the values cannot be composed. Fix the content of the key (or point valuesKey at the right key).`,
    remediation: [LIST, { description: `Fix the content of the key in ${what} (it must be a YAML map, like a values.yaml file)` }, RETRY],
    replaceRemediation: true,
  };
}
