import { condition } from '../../flux/conditions';
import type { ObjRef } from '../../flux/refs';
import { defineRule } from '../define';
import { CROSS_NAMESPACE_BLOCKED } from '../shared';
import { controllerFlag, responsibleController } from './controller-health';
import { failures, listRefs } from './failure-text';

// The multi-tenancy lockdown flags (Flux docs "multi-tenancy lockdown"; FluxInstance spec.cluster.multitenant):
// --no-cross-namespace-refs blocks references to other namespaces (`can't access '<Kind>/<ns>/<name>', cross-namespace
// references have been blocked`; helm-controller: `cross-namespace references are not allowed: cannot access <Kind>
// <ns>/<name>`, AccessDenied), and --default-service-account=<sa> makes objects without
// spec.serviceAccountName impersonate <sa> of their own namespace (`User "system:serviceaccount:<ns>:<sa>" cannot …`).
const CONTROLLERS = ['kustomize-controller', 'helm-controller'];
// fluxcd/pkg runtime/acl (kustomize-controller, image, notification) and helm-controller internal/acl wordings.
/** Objects failing this long before the controller's pod started were failing already: not the flags. */
const SLACK_MS = 60_000;

export default defineRule({
  code: 'FD026',
  slug: 'lockdown-flags-applied',
  category: 'access-denied',
  severity: 'error',
  kinds: ['Cluster'],
  title: 'Multi-tenancy lockdown flags broke objects that relied on the controller\'s defaults',
  signals: [
    'kustomize-controller / helm-controller running with --no-cross-namespace-refs=true and/or --default-service-account=<sa> (manager container args)',
    'two or more of its objects failing since its running pod started: `… cross-namespace references have been blocked` / `cross-namespace references are not allowed: …` (AccessDenied), or `User "system:serviceaccount:<ns>:<sa>" cannot …` for objects without spec.serviceAccountName',
    'the finding is on the controller Deployment; the objects are linked to it',
  ],
  explanation: 'The controller was (re)started with the multi-tenancy lockdown: cross-namespace references are refused, and objects without spec.serviceAccountName now impersonate the default ServiceAccount of their namespace instead of using the controller\'s own permissions. Objects written for the open defaults (a Kustomization reading a GitRepository in flux-system from another namespace, a HelmRelease whose chart source is elsewhere, a Kustomization with no ServiceAccount that applies cluster-wide objects) all fail together, the flux-system Kustomization itself included. Either give each object what the lockdown needs (a ServiceAccount with RBAC in its namespace, sources next to it), with flux-system exempted by its own serviceAccountName, or take the flags out of the installation; if flux-system cannot apply any more, that change has to be made with kubectl.',
  remediation: [
    { description: 'See the flags {name} runs with and when its pod started', command: 'kubectl --context {context} -n {namespace} get deploy {name} -o jsonpath=\'{.spec.template.spec.containers[0].args}{"\\n"}{.status.conditions[?(@.type=="Progressing")].lastUpdateTime}{"\\n"}\'' },
    { description: 'If the lockdown is intended: give the flux-system Kustomization (and other cluster-wide ones) spec.serviceAccountName: {name} so they keep the controller\'s permissions, give tenants a ServiceAccount with RBAC in their namespace, and move (or copy) shared sources into the namespaces that use them' },
    { description: 'If it is not: remove --no-cross-namespace-refs / --default-service-account from the installation (flux bootstrap patches, FluxInstance spec.cluster.multitenant); when flux-system itself fails, patch the Deployment with kubectl first, then fix Git' },
  ],
  matchCluster({ index }) {
    const hits = [];
    for (const name of CONTROLLERS) {
      const ctl = index.cluster.controllers.find((c) => c.name === name);
      if (!ctl) continue;
      const noCross = controllerFlag(index, name, '--no-cross-namespace-refs');
      const defaultSa = controllerFlag(index, name, '--default-service-account');
      const crossOn = noCross === 'true' || noCross === '';
      if (!crossOn && !defaultSa) continue;
      const started = Math.max(...ctl.pods.filter((p) => p.ready).map((p) => Date.parse(p.startedAt ?? '')).filter((t) => !Number.isNaN(t)));
      const members: ObjRef[] = [];
      for (const f of failures(index)) {
        const obj = index.get(f.ref);
        if (!obj || responsibleController(index, obj)?.name !== name) continue;
        const since = Date.parse(condition(obj, 'Ready')?.lastTransitionTime ?? '');
        if (Number.isFinite(started) && !Number.isNaN(since) && since < started - SLACK_MS) continue;
        const impersonated = defaultSa && !obj.spec?.serviceAccountName
          && f.message.includes(`"system:serviceaccount:${obj.metadata.namespace}:${defaultSa}" cannot`);
        if ((crossOn && CROSS_NAMESPACE_BLOCKED.test(f.message)) || impersonated) members.push(f.ref);
      }
      if (members.length < 2) continue;
      const flags = [crossOn ? '--no-cross-namespace-refs' : null, defaultSa ? `--default-service-account=${defaultSa}` : null].filter(Boolean).join(', ');
      hits.push({
        object: { kind: 'Deployment', namespace: index.cluster.fluxNamespace, name },
        title: `${name} runs with the multi-tenancy lockdown (${flags}): ${members.length} objects that relied on its defaults fail since it restarted`,
        evidence: [
          `${members.length} objects fail on ${crossOn ? 'blocked cross-namespace references' : ''}${crossOn && defaultSa ? ' or ' : ''}${defaultSa ? `the impersonated ServiceAccount ${defaultSa}` : ''}: ${listRefs(members, 4)}`,
          ...(Number.isFinite(started) ? [`its running pod started ${new Date(started).toISOString()}; the failures began after it`] : []),
        ],
        explains: members,
      });
    }
    return hits;
  },
});
