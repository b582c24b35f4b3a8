// A rendered object with two entries of the same merge key in a keyed list (env by name, ports by containerPort and
// protocol, volumes by name…). Server-side apply (Helm 4, Flux 2.8+) refuses to type it (apimachinery managedfields
// `failed to create typed patch object (<ns>/<name>; <gv>, Kind=<Kind>): <path>: duplicate entries for key <key>`, from
// structured-merge-diff); Helm 3's client-side strategic merge cannot order it (apimachinery strategicpatch `The order
// in patch list:\n<list>\n doesn't match $setElementOrder list:\n<list>`, after `cannot patch "<name>" with kind
// <Kind>: ` or `failed to create patch: `). Either way the values or the chart list an entry twice.
import type { RuleHit } from '../types';
import type { ReleaseFailure } from './failure';

export const TYPED_DUPLICATE = /failed to create typed (patch|live) object \(([^;)]*); [^)]*Kind=(\w+)\): (\S+): duplicate entries for key (\[[^\]]*\])/;
export const ORDER_MISMATCH = /The order in patch list:\s*\[[\s\S]*?\]\s*doesn't match \$setElementOrder list:\s*\[([\s\S]*?)\]\s*(?:$|\n)/;

const SSA_OFF = { install: 'spec.install.serverSideApply: false', upgrade: 'spec.upgrade.serverSideApply: disabled' };

export function typedDuplicateHint(m: RegExpMatchArray, failure: ReleaseFailure): Partial<RuleHit> {
  const [, which, object, kind, path, key] = m;
  const list = path!.replace(/^\./, '');
  const entry = key!.replace(/^\[|\]$/g, '');
  const where = `${kind} ${object}`;
  if (which === 'live') {
    return {
      title: `${where} in the cluster has duplicate ${list} entries (${entry}): server-side apply cannot merge into it`,
      explanation: `The object already in the cluster lists ${entry} twice in ${list} (left by an earlier client-side apply, which tolerated it), and server-side apply (Helm 4, Flux 2.8+) cannot build a typed object from it. Remove the duplicate from the values or the chart, and apply once client-side (${SSA_OFF[failure.action]}) so the live object is rewritten without it.`,
      remediation: [{ description: `In Git, remove the duplicate ${entry} from ${list} in the values, and set ${SSA_OFF[failure.action]} until the object is clean` }],
    };
  }
  return {
    title: `The chart renders ${entry} twice in the ${list.replace(/^.*\./, '')} list of ${where}`,
    explanation: `${list} is a keyed list (merged by ${entry.replace(/=.*$/, '')}), and the rendered ${where} has two entries with ${entry}. Server-side apply (Helm 4, Flux 2.8+) refuses such an object, where Helm 3's client-side apply let the last entry win. The duplicate comes from the values or the chart (often the same variable or port given in two value lists): remove it. To keep the Helm 3 behaviour meanwhile, apply client-side with ${SSA_OFF[failure.action]}.`,
    remediation: [
      { description: `Render the chart with the same values and find ${entry} twice: helm template {releaseName} <chart> --version <version> -f values.yaml` },
      { description: `In Git, remove the duplicate from the values (or set ${SSA_OFF[failure.action]} until the chart is fixed)` },
    ],
  };
}

export function orderMismatchHint(m: RegExpMatchArray, tail: string): Partial<RuleHit> {
  const seen = new Map<string, number>();
  for (const e of m[1]!.matchAll(/map\[([^\]]*)\]/g)) seen.set(e[1]!, (seen.get(e[1]!) ?? 0) + 1);
  const dups = [...seen].filter(([, n]) => n > 1).map(([k]) => k);
  const target = tail.match(/cannot patch "([^"]+)" with kind (\w+)/);
  const where = target ? `${target[2]} ${target[1]}` : 'an object of the release';
  const keys = dups.length > 0 ? dups.join(', ') : 'the same merge key';
  return {
    title: `The chart renders ${where} with duplicate list entries (${keys})`,
    explanation: `Helm 3 updates objects with a client-side strategic merge patch, which cannot order a keyed list (env by name, ports by containerPort…) that holds two entries with the same key: the rendered ${where} lists ${keys} more than once, so the patch is rejected. Remove the duplicate entries from the values or the chart. spec.upgrade.force: true (replace instead of patch) also gets past it on Helm 3 (Flux 2.7 and older).`,
    remediation: [{ description: `Render the chart with the same values and look for ${keys} twice in ${where}: helm template {releaseName} <chart> --version <version> -f values.yaml` }],
  };
}
