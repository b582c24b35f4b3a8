// Parsing `explain KIND/NAME` or `explain KIND NAME` into a Flux kind or a built-in kind to resolve.
import { FLUX_KINDS, resolveFluxKind, type FluxKind } from '../flux/kinds';
import { resolveBuiltinKind, type BuiltinKind } from '../kube/builtin-kinds';
import { UsageError } from '../util/errors';

export type TargetKind = { flux: FluxKind; builtin?: undefined } | { flux?: undefined; builtin: BuiltinKind };

export interface ExplainTarget {
  kind: TargetKind;
  name: string;
  namespace: string;
}

export function parseTarget(first: string, second: string | undefined, namespace: string): ExplainTarget {
  let kindText: string;
  let name: string;
  if (second !== undefined) {
    kindText = first;
    name = second;
  } else {
    const slash = first.indexOf('/');
    if (slash <= 0 || slash === first.length - 1) throw new UsageError(`expected KIND/NAME or KIND NAME, got "${first}" (e.g. ks/apps, hr/podinfo, deployment/web)`);
    kindText = first.slice(0, slash);
    name = first.slice(slash + 1);
  }
  const flux = resolveFluxKind(kindText);
  if (flux) return { kind: { flux }, name, namespace };
  const builtin = resolveBuiltinKind(kindText);
  if (builtin) return { kind: { builtin }, name, namespace };
  const names = FLUX_KINDS.map((k) => k.aliases[0]).join(', ');
  throw new UsageError(`unknown kind "${kindText}"; use a Flux kind (${names}) or a workload kind (deployment, statefulset, daemonset, service, configmap, …)`);
}

export function targetKindName(t: TargetKind): string {
  return t.flux ? t.flux.kind : t.builtin.kind;
}
