// One descriptor per Flux kind. Everything that needs to know "which group/version/plural/controller"
// reads it from here: discovery, collection, the API emulator, remediation commands and KIND parsing.

export type FluxFamily = 'source' | 'kustomize' | 'helm' | 'notification' | 'image' | 'operator';

export interface FluxKind {
  kind: string;
  group: string;
  plural: string;
  singular: string;
  /** Every version any Flux 2.x release served, in order of preference (newest first). */
  versions: string[];
  /** kubectl short names from the CRDs plus the names the flux CLI accepts. */
  aliases: string[];
  family: FluxFamily;
  /** The Deployment in the Flux namespace that reconciles this kind. */
  controller: string;
  /** False for kinds the controllers never write a status for (Alert, Provider). */
  hasStatus: boolean;
  /** The noun after `flux reconcile|suspend|resume`, or null where the flux CLI has none. */
  fluxNoun: string | null;
  reconcilable: boolean;
  /** How suspension is expressed: spec.suspend, or the operator's reconcile annotation. */
  suspendBy: 'spec' | 'annotation' | 'none';
}

const source = (kind: string, plural: string, versions: string[], noun: string | null, aliases: string[]): FluxKind => ({
  kind, group: 'source.toolkit.fluxcd.io', plural, singular: kind.toLowerCase(), versions, aliases, family: 'source',
  controller: 'source-controller', hasStatus: true, fluxNoun: noun, reconcilable: noun !== null, suspendBy: noun ? 'spec' : 'none',
});

export const FLUX_KINDS: readonly FluxKind[] = [
  source('GitRepository', 'gitrepositories', ['v1', 'v1beta2', 'v1beta1'], 'source git', ['gitrepo', 'git', 'gitrepository', 'gitrepositories']),
  source('OCIRepository', 'ocirepositories', ['v1', 'v1beta2'], 'source oci', ['ocirepo', 'oci', 'ocirepository', 'ocirepositories']),
  source('HelmRepository', 'helmrepositories', ['v1', 'v1beta2', 'v1beta1'], 'source helm', ['helmrepo', 'helm', 'helmrepository', 'helmrepositories']),
  source('HelmChart', 'helmcharts', ['v1', 'v1beta2', 'v1beta1'], 'source chart', ['hc', 'chart', 'helmchart', 'helmcharts']),
  source('Bucket', 'buckets', ['v1', 'v1beta2', 'v1beta1'], 'source bucket', ['bucket', 'buckets']),
  source('ExternalArtifact', 'externalartifacts', ['v1'], null, ['ea', 'external', 'externalartifact', 'externalartifacts']),
  {
    kind: 'Kustomization', group: 'kustomize.toolkit.fluxcd.io', plural: 'kustomizations', singular: 'kustomization',
    versions: ['v1', 'v1beta2', 'v1beta1'], aliases: ['ks', 'kustomization', 'kustomizations'], family: 'kustomize',
    controller: 'kustomize-controller', hasStatus: true, fluxNoun: 'kustomization', reconcilable: true, suspendBy: 'spec',
  },
  {
    kind: 'HelmRelease', group: 'helm.toolkit.fluxcd.io', plural: 'helmreleases', singular: 'helmrelease',
    versions: ['v2', 'v2beta2', 'v2beta1'], aliases: ['hr', 'helmrelease', 'helmreleases'], family: 'helm',
    controller: 'helm-controller', hasStatus: true, fluxNoun: 'helmrelease', reconcilable: true, suspendBy: 'spec',
  },
  {
    kind: 'Alert', group: 'notification.toolkit.fluxcd.io', plural: 'alerts', singular: 'alert',
    versions: ['v1beta3', 'v1beta2', 'v1beta1'], aliases: ['alert', 'alerts'], family: 'notification',
    controller: 'notification-controller', hasStatus: false, fluxNoun: 'alert', reconcilable: false, suspendBy: 'spec',
  },
  {
    kind: 'Provider', group: 'notification.toolkit.fluxcd.io', plural: 'providers', singular: 'provider',
    versions: ['v1beta3', 'v1beta2', 'v1beta1'], aliases: ['provider', 'providers', 'alert-provider'], family: 'notification',
    controller: 'notification-controller', hasStatus: false, fluxNoun: 'alert-provider', reconcilable: false, suspendBy: 'spec',
  },
  {
    kind: 'Receiver', group: 'notification.toolkit.fluxcd.io', plural: 'receivers', singular: 'receiver',
    versions: ['v1', 'v1beta2', 'v1beta1'], aliases: ['receiver', 'receivers'], family: 'notification',
    controller: 'notification-controller', hasStatus: true, fluxNoun: 'receiver', reconcilable: true, suspendBy: 'spec',
  },
  {
    kind: 'ImageRepository', group: 'image.toolkit.fluxcd.io', plural: 'imagerepositories', singular: 'imagerepository',
    versions: ['v1', 'v1beta2', 'v1beta1'], aliases: ['imagerepo', 'imgrepo', 'imagerepository', 'imagerepositories'], family: 'image',
    controller: 'image-reflector-controller', hasStatus: true, fluxNoun: 'image repository', reconcilable: true, suspendBy: 'spec',
  },
  {
    kind: 'ImagePolicy', group: 'image.toolkit.fluxcd.io', plural: 'imagepolicies', singular: 'imagepolicy',
    versions: ['v1', 'v1beta2', 'v1beta1'], aliases: ['imagepol', 'imgpol', 'imagepolicy', 'imagepolicies'], family: 'image',
    controller: 'image-reflector-controller', hasStatus: true, fluxNoun: 'image policy', reconcilable: true, suspendBy: 'spec',
  },
  {
    kind: 'ImageUpdateAutomation', group: 'image.toolkit.fluxcd.io', plural: 'imageupdateautomations', singular: 'imageupdateautomation',
    versions: ['v1', 'v1beta2', 'v1beta1'], aliases: ['iua', 'imgupd', 'imgauto', 'imageupdateautomation', 'imageupdateautomations'], family: 'image',
    controller: 'image-automation-controller', hasStatus: true, fluxNoun: 'image update', reconcilable: true, suspendBy: 'spec',
  },
  {
    kind: 'ArtifactGenerator', group: 'source.extensions.fluxcd.io', plural: 'artifactgenerators', singular: 'artifactgenerator',
    versions: ['v1beta1'], aliases: ['ag', 'artifactgenerator', 'artifactgenerators'], family: 'source',
    controller: 'source-watcher', hasStatus: true, fluxNoun: null, reconcilable: true, suspendBy: 'annotation',
  },
  ...(['FluxInstance', 'FluxReport', 'ResourceSet', 'ResourceSetInputProvider'] as const).map((kind): FluxKind => ({
    kind, group: 'fluxcd.controlplane.io', plural: `${kind.toLowerCase()}s`, singular: kind.toLowerCase(), versions: ['v1'],
    aliases: {
      FluxInstance: ['fluxinstance', 'fluxinstances', 'instance'],
      FluxReport: ['fluxreport', 'fluxreports', 'report'],
      ResourceSet: ['rset', 'resourceset', 'resourcesets'],
      ResourceSetInputProvider: ['rsip', 'resourcesetinputprovider', 'resourcesetinputproviders'],
    }[kind],
    family: 'operator', controller: 'flux-operator', hasStatus: true, fluxNoun: null, reconcilable: kind !== 'FluxReport',
    suspendBy: 'annotation',
  })),
];

const byKind = new Map(FLUX_KINDS.map((k) => [k.kind, k]));
const byAlias = new Map<string, FluxKind>();
for (const k of FLUX_KINDS) for (const a of [k.kind.toLowerCase(), k.plural, k.singular, ...k.aliases]) byAlias.set(a, k);

export function fluxKind(kind: string): FluxKind | undefined {
  return byKind.get(kind);
}

/** Resolves a user-typed kind (`ks`, `HelmRelease`, `gitrepositories`, `kustomization.kustomize.toolkit.fluxcd.io`). */
export function resolveFluxKind(text: string): FluxKind | undefined {
  const lower = text.toLowerCase();
  return byAlias.get(lower) ?? byAlias.get(lower.split('.')[0] ?? '');
}

const FLUX_GROUPS = new Set(FLUX_KINDS.map((k) => k.group));

/** Whether an apiVersion is in a Flux API group (asked for every object read). */
export function isFluxApiVersion(apiVersion: string | undefined): boolean {
  if (!apiVersion) return false;
  const slash = apiVersion.indexOf('/');
  return FLUX_GROUPS.has(slash < 0 ? apiVersion : apiVersion.slice(0, slash));
}

/** Controllers that a standard Flux install runs, in display order. */
export const FLUX_CONTROLLERS = [
  'source-controller', 'kustomize-controller', 'helm-controller', 'notification-controller',
  'image-reflector-controller', 'image-automation-controller', 'source-watcher', 'flux-operator',
] as const;
