// Flux objects that fail because the API server does not serve the group/version their manifests use: a built-in API
// a Kubernetes upgrade removed, or a version a CRD stopped serving (an operator upgrade). FD309 and FD428 explain one
// object each; FD029 and FD030 group the objects under the one change behind them. Both controllers report it with
// the RESTMapper's `no matches for kind "<Kind>" in version "<group>/<version>"` (kustomize-controller's dry-run,
// Helm's `resource mapping not found …` / `unable to recognize ""`), whatever the Flux version.
import { condition, readyState } from '../flux/conditions';
import { fluxKind } from '../flux/kinds';
import { inventory, refOf, type ObjRef } from '../flux/refs';
import type { ClusterIndex } from '../snapshot/indexes';
import type { KubeObject } from '../snapshot/schema';
import { isBuiltinApiVersion, removedIn } from './apiserver-hints';
import { releaseFailure, REMOVED_API } from './helm/failure';
import { crdDefinesKind, crdProvider } from './shared';

const UNMAPPED = /no matches for kind "([^"]+)" in version "([^"]+)"/;

export interface Unserved {
  obj: KubeObject;
  ref: ObjRef;
  kind: string;
  apiVersion: string;
  group: string;
  version: string;
  /** A HelmRelease whose stored release manifest (the deployed revision) holds it, rather than the new chart. */
  stored: boolean;
  /** When the failure began (the condition's lastTransitionTime). */
  since: string | null;
}

/** The group/version a failing Kustomization or HelmRelease cannot map, or null. */
/** The command listing the versions a CRD serves (`<plural>.<group>`). */
export function servedVersionsCommand(crd: string): string {
  return `kubectl --context {context} get crd ${crd} -o jsonpath='{.spec.versions[?(@.served==true)].name}'`;
}

export function unservedApi(obj: KubeObject): Unserved | null {
  let message: string | undefined;
  let since: string | null = null;
  let stored = false;
  if (obj.kind === 'Kustomization') {
    const ready = condition(obj, 'Ready');
    if (ready?.status !== 'False') return null;
    message = ready.message;
    since = ready.lastTransitionTime ?? null;
  } else if (obj.kind === 'HelmRelease') {
    const failure = releaseFailure(obj);
    if (!failure) return null;
    message = failure.tail;
    since = failure.condition.lastTransitionTime ?? null;
    stored = REMOVED_API.test(failure.tail);
  } else return null;
  const m = message?.match(UNMAPPED);
  if (!m) return null;
  const [, kind, apiVersion] = m;
  const slash = apiVersion!.lastIndexOf('/');
  return { obj, ref: refOf(obj), kind: kind!, apiVersion: apiVersion!, group: slash < 0 ? '' : apiVersion!.slice(0, slash), version: apiVersion!.slice(slash + 1), stored, since };
}

const MEMO = new WeakMap<ClusterIndex, Unserved[]>();

/** Every failing Kustomization and HelmRelease of the cluster that cannot map a group/version, read once. */
export function unservedApis(index: ClusterIndex): Unserved[] {
  let list = MEMO.get(index);
  if (list) return list;
  list = [];
  for (const kind of ['Kustomization', 'HelmRelease']) {
    for (const obj of index.objects(kind)) {
      if (readyState(obj) !== 'failing') continue;
      const u = unservedApi(obj);
      if (u) list.push(u);
    }
  }
  MEMO.set(index, list);
  return list;
}

/**
 * A built-in API version the cluster stopped serving (a beta removed by a Kubernetes upgrade). A GA version of a
 * built-in group (ConfigMap v1, Deployment apps/v1) is never removed: when it cannot be mapped, discovery is broken.
 */
export function removedBuiltin(kind: string, apiVersion: string): boolean {
  if (!isBuiltinApiVersion(apiVersion)) return false;
  return removedIn(kind, apiVersion) !== null || !/(?:^|\/)v\d+$/.test(apiVersion);
}

/** A version that replaces a removed built-in one, for the texts; null when the kind was removed altogether. */
export function builtinReplacement(kind: string, apiVersion: string): string | null {
  if (kind === 'PodSecurityPolicy') return null;
  const known: Record<string, string> = {
    PodDisruptionBudget: 'policy/v1', CronJob: 'batch/v1', HorizontalPodAutoscaler: 'autoscaling/v2', Ingress: 'networking.k8s.io/v1',
    IngressClass: 'networking.k8s.io/v1', Deployment: 'apps/v1', DaemonSet: 'apps/v1', StatefulSet: 'apps/v1', ReplicaSet: 'apps/v1',
    NetworkPolicy: 'networking.k8s.io/v1', EndpointSlice: 'discovery.k8s.io/v1', PriorityClass: 'scheduling.k8s.io/v1',
    CSIDriver: 'storage.k8s.io/v1', CSIStorageCapacity: 'storage.k8s.io/v1', StorageClass: 'storage.k8s.io/v1',
    MutatingWebhookConfiguration: 'admissionregistration.k8s.io/v1', ValidatingWebhookConfiguration: 'admissionregistration.k8s.io/v1',
    CustomResourceDefinition: 'apiextensions.k8s.io/v1', RuntimeClass: 'node.k8s.io/v1', Event: 'events.k8s.io/v1',
  };
  if (/^rbac\.authorization\.k8s\.io\//.test(apiVersion)) return 'rbac.authorization.k8s.io/v1';
  const replacement = known[kind];
  return replacement && replacement !== apiVersion ? replacement : null;
}

export interface ProviderChange {
  /** `external-secrets 0.16.2 → 0.17.0` (a HelmRelease's chart upgrade) */
  text: string;
  from: string;
  to: string;
  at: string;
}

export interface DroppedVersion {
  /** The Kustomization or HelmRelease whose inventory installs the CRD of the kind. */
  provider: ObjRef;
  /** `<plural>.<group>` of that CRD. */
  crd: string;
  /** Another version of the same kind and group some inventory holds: one the CRD does serve. */
  served: string | null;
  /** The provider's chart upgrade shortly before the failure, when its history shows one. */
  change: ProviderChange | null;
}

// An upgrade more than a day before the first failure is not "the" change behind it.
const UPGRADE_WINDOW_MS = 24 * 3600_000;

/** The last chart upgrade of a HelmRelease (status.history, newest first): from → to, when it happened. */
export function chartUpgrade(hr: KubeObject): ProviderChange | null {
  const history = hr.status?.history;
  if (!Array.isArray(history) || history.length < 2) return null;
  const [latest, previous] = history;
  if (latest?.status !== 'deployed' || typeof latest.chartVersion !== 'string' || typeof previous?.chartVersion !== 'string') return null;
  if (latest.chartVersion === previous.chartVersion || typeof latest.lastDeployed !== 'string') return null;
  return { text: `${latest.chartName ?? previous.chartName ?? 'chart'} ${previous.chartVersion} → ${latest.chartVersion}`, from: previous.chartVersion, to: latest.chartVersion, at: latest.lastDeployed };
}

/**
 * Whether an unmapped custom group/version is a version the installed CRD no longer serves (not a CRD that is missing):
 * a healthy Kustomization or HelmRelease holds the CRD of that kind in its inventory, so the CRD is installed. For a
 * Kustomization, only when the failure began after the provider became ready (before that, the CRD may simply not have
 * existed yet: an ordering problem, not a dropped version). A stored Helm manifest was deployed with that version, so
 * it was served then.
 */
export function droppedCrdVersion(index: ClusterIndex, u: Unserved): DroppedVersion | null {
  if (!u.group || isBuiltinApiVersion(u.apiVersion)) return null;
  // Flux's own kinds have their own reading (a manifest from before a Flux upgrade, or a component not installed).
  if (fluxKind(u.kind)?.group === u.group) return null;
  const provider = crdProvider(index, u.obj, u.group, undefined, u.kind);
  const providerObj = provider ? index.get(provider) : undefined;
  if (!provider || !providerObj || readyState(providerObj) !== 'ready') return null;
  const readySince = condition(providerObj, 'Ready')?.lastTransitionTime;
  if (!u.stored && u.since && readySince && Date.parse(u.since) < Date.parse(readySince)) return null;
  const crd = inventory(providerObj).find((e) => e.kind === 'CustomResourceDefinition' && crdDefinesKind(e.name, u.group, u.kind))!.name;
  let served: string | null = null;
  for (const kind of ['Kustomization', 'HelmRelease']) {
    for (const obj of index.objects(kind)) {
      const entry = inventory(obj).find((e) => e.group === u.group && e.kind === u.kind && e.version && e.version !== u.version);
      if (entry) served = served ?? entry.version;
    }
  }
  let change = providerObj.kind === 'HelmRelease' ? chartUpgrade(providerObj) : null;
  if (change && u.since) {
    const gap = Date.parse(u.since) - Date.parse(change.at);
    if (!(gap >= 0 && gap <= UPGRADE_WINDOW_MS)) change = null;
  }
  return { provider, crd, served, change };
}
