// kustomize build failures whose cause the message states: a sharper title, explanation and first step for FD305.
// Wordings: sigs.k8s.io/kustomize api (kustomization file loading, strict JSON decoding of kustomization.yaml) and
// kustomize-controller's decryptor, which reads kustomization.yaml files itself to find the .env sources to decrypt.
import type { RemediationTemplate } from '../types';

export interface BuildHint {
  title: string;
  explanation: string;
  remediation: RemediationTemplate[];
}

/** A remote resource or base in kustomization.yaml (an http(s) URL, a Git URL with `//`), as kustomize quotes it. */
export const REMOTE_RESOURCE = /accumulating resources from '((?:https?|git|ssh):\/\/[^']+|git@[^']+|github\.com\/[^']+)'/;
// Why kustomize could not use it: the network, credentials it never has, or a page that is no YAML (a login page).
const REMOTE_WHY = /net\/http: TLS handshake timeout|i\/o timeout|no such host|connection refused|context deadline exceeded|x509: [^:'"\n]+|\b40[134] [A-Za-z ]+|authentication required|could not read Username|terminal prompts disabled|Permission denied \(publickey\)|MalformedYAMLError|remote bases are not allowed|remote resources are disabled/;

const HINTS: { test: RegExp; hint(m: RegExpMatchArray): BuildHint }[] = [
  {
    // kustomize fetches remote resources at build time, inside kustomize-controller: no credentials, the pod's network.
    test: new RegExp(`${REMOTE_RESOURCE.source}[\\s\\S]*?(${REMOTE_WHY.source})`),
    hint: (m) => {
      const why = m[2]!;
      const page = why === 'MalformedYAMLError';
      return {
        title: `kustomization.yaml loads a remote resource kustomize-controller cannot fetch: ${m[1]} (${page ? 'the answer is no YAML' : why})`,
        explanation: `A kustomization.yaml under spec.path lists ${m[1]} as a resource or base, which kustomize downloads at build time from inside kustomize-controller: with the controller's network (egress, proxy, DNS) and without any credentials, so a private repository or a host the cluster cannot reach fails${page ? ', and a server that answers with a login or error page gets that page parsed as YAML (MalformedYAMLError): your YAML is fine' : ` (${why})`}. ${/evalsymlink failure/.test(m.input ?? '') ? 'The trailing "evalsymlink failure … no such file or directory" is kustomize trying the URL as a local path after the download failed, not a missing directory. ' : ''}Flux does not fetch remote bases with credentials: vendor the files into this repository, or add a GitRepository (or OCIRepository) for them with a Flux Kustomization of their own (dependsOn where the order matters).`,
        remediation: [
          { description: 'Find the remote resources and bases under {path} (run at the repository root)', command: 'grep -rn --include=kustomization.yaml -E \'(https?|ssh|git)://|git@|github.com/\' {path}' },
          { description: 'Replace them with files in this repository, or with a GitRepository/OCIRepository and a Flux Kustomization for that source' },
        ],
      };
    },
  },
  {
    // kustomize: a patch whose target is not in the build. `failed to find unique target for patch <Id>` (v3/v4,
    // strategic merge), `no resource matches strategic merge patch "<Id>"` and `unable to find patch target "<Id>"` (v5).
    test: /failed to find unique target for patch ([^\s;]+)|no resource matches strategic merge patch "([^"]+)"|unable to find patch target "([^"]+)"/,
    hint: (m) => {
      const target = m[1] ?? m[2] ?? m[3]!;
      return {
        title: `A patch targets ${target}, which the build does not contain`,
        explanation: `A patch names ${target} (kind, name and namespace), and no resource of the build matches it: the name or the namespace differs (a namespace set by kustomize's namespace field or the Kustomization's spec.targetNamespace, or none in the base where the patch names one), the resource moved, or the patch belongs to another overlay. The patch may come from a kustomization.yaml under spec.path or from the Flux Kustomization's own spec.patches / spec.patchesStrategicMerge, which kustomize-controller adds to the build: a local kustomize build does not include those, flux build kustomization does.`,
        remediation: [
          { description: 'See the patches of the Flux Kustomization itself', command: 'kubectl --context {context} -n {namespace} get kustomization {name} -o jsonpath=\'{.spec.patches}{"\\n"}{.spec.patchesStrategicMerge}{"\\n"}{.spec.targetNamespace}\'' },
          { description: 'Build with them, as the controller does (run at the repository root), and compare the target with the resources it lists', command: 'flux --context {context} build kustomization {name} -n {namespace} --path {path}' },
        ],
      };
    },
  },
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
