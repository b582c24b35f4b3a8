// kustomize build failures whose cause the message states: a sharper title, explanation and first step for FD305.
// Wordings: sigs.k8s.io/kustomize api (kustomization file loading, strict JSON decoding of kustomization.yaml) and
// kustomize-controller's decryptor, which reads kustomization.yaml files itself to find the .env sources to decrypt.
import type { RemediationTemplate } from '../types';

export interface BuildHint {
  title: string;
  explanation: string;
  remediation: RemediationTemplate[];
}

const HINTS: { test: RegExp; hint(m: RegExpMatchArray): BuildHint }[] = [
  {
    // kustomize's helmCharts field (builtin HelmChartInflationGenerator) runs only with `--enable-helm` (older
    // kustomize: --enable_helm), which kustomize-controller never sets: it builds without running helm.
    test: /HelmChartInflationGenerator[\s\S]*must specify --enable[-_]helm/,
    hint: () => ({
      title: 'kustomization.yaml inflates a Helm chart (helmCharts), which kustomize-controller does not do',
      explanation: 'A kustomization.yaml under spec.path uses helmCharts (kustomize\'s HelmChartInflationGenerator). kustomize only runs helm with --enable-helm, and kustomize-controller never enables it, so the build fails however the chart is configured (`flux build` and local `kustomize build --enable-helm` may still work). Deploy the chart with a HelmRelease (and a HelmRepository or OCIRepository for its repo) instead, moving valuesFile/valuesInline to spec.values or valuesFrom, or render the chart into plain manifests in Git.',
      remediation: [
        { description: 'Find the kustomization.yaml files with helmCharts under {path} (run at the repository root)', command: 'grep -rln --include=kustomization.yaml -e \'^helmCharts:\' {path}' },
        { description: 'Replace each helmCharts entry with a HelmRelease (chart name, version, repo and values) and its source', command: 'flux --context {context} create helmrelease <name> --source=HelmRepository/<repo> --chart=<chart> --chart-version=<version> --values=<values.yaml> --export' },
      ],
    }),
  },
  {
    // kustomize decodes kustomization.yaml strictly: a field its Kustomization type does not have.
    test: /json: unknown field "([^"]+)"/,
    hint: (m) => ({
      title: `kustomization.yaml has a field kustomize does not know: "${m[1]}"`,
      explanation: `A kustomization.yaml under spec.path has the field "${m[1]}", which kustomize's kustomization.yaml format does not have, so kustomize refuses the whole file. Most often a Flux Kustomization (apiVersion kustomize.toolkit.fluxcd.io, with spec.path/sourceRef/interval) was saved under the name kustomization.yaml, where kustomize expects its own kustomize.config.k8s.io Kustomization; or a field is misspelt or indented one level too deep.`,
      remediation: [{ description: `Find the kustomization.yaml with "${m[1]}" under {path} (run at the repository root); rename a Flux Kustomization to another file name (e.g. ks.yaml) and list it under resources`, command: `grep -rln --include=kustomization.yaml -e '^${m[1]}:' -e 'kustomize.toolkit.fluxcd.io' {path}` }],
    }),
  },
  {
    // kustomize-controller < v1.2.2 (Flux < 2.2.3): the decryptor followed every resources entry and failed on a
    // directory without kustomization.yaml, even with nothing to decrypt.
    test: /error decrypting (?:env )?sources: no kustomization file found/,
    hint: () => ({
      title: 'A directory referenced from kustomization.yaml has no kustomization.yaml',
      explanation: 'kustomize-controller reads the kustomization.yaml files under spec.path itself (to find SOPS-encrypted .env sources) and one of the directories listed under resources or components has no kustomization.yaml. Before Flux 2.2.3 (kustomize-controller v1.2.2) this failed the build even when nothing was encrypted; later versions accept plain directories where kustomize does.',
      remediation: [
        { description: 'Add a kustomization.yaml to the directory (listing its files), or list the files instead of the directory' },
        { description: 'Upgrade Flux to 2.2.3 or later', command: 'flux --context {context} check' },
      ],
    }),
  },
  {
    // kustomize v5.3 (Flux 2.2.x) rejects a kustomization.yaml without content; v5.4 (Flux 2.3) accepts it again.
    test: /kustomization\.yaml is empty/,
    hint: () => ({
      title: 'An empty kustomization.yaml is refused (kustomize 5.3, Flux 2.2)',
      explanation: 'A kustomization.yaml under spec.path has no entries. The kustomize version in Flux 2.2 (v5.3) refuses such files; other versions build them as an empty set. Give it content (resources: [] or the files of its directory) or upgrade Flux to 2.3 or later.',
      remediation: [
        { description: 'Find the empty kustomization.yaml under {path} (run at the repository root)', command: 'find {path} -name kustomization.yaml -empty' },
        { description: 'Or upgrade Flux to 2.3 or later', command: 'flux --context {context} check' },
      ],
    }),
  },
];

export function buildHint(message: string): BuildHint | null {
  for (const h of HINTS) {
    const m = message.match(h.test);
    if (m) return h.hint(m);
  }
  return null;
}
