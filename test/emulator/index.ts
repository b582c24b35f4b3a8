// The Kubernetes API emulator: one HTTPS kube-apiserver look-alike per cluster, in-process, for the live
// end-to-end tests and the benchmarks. The real CLI and the real kubectl talk to it exactly as to a cluster:
// TLS verified against a CA, bearer tokens (or an exec plugin), discovery, paginated lists, selectors.
import { EmulatedCluster } from './server';
import { testTls } from './tls';
import { writeKubeconfig as writeKubeconfigFile } from './kubeconfig';
import type { ClusterSpec, KubeconfigOptions } from './types';

export type { ClusterSpec, Fault, FaultMatch, KubeconfigOptions, PatchRecord, RequestLogEntry } from './types';
export { EmulatedCluster } from './server';
export { ObjectStore } from './store';
export { loadFixtureDir, isClusterDir } from './fixtures';
export { renderKubeconfig } from './kubeconfig';

export interface Emulator {
  clusters: EmulatedCluster[];
  /** The cluster named `name`; throws if there is none (a typo in a test should fail loudly). */
  cluster(name: string): EmulatedCluster;
  /** The CA that signed every cluster's serving certificate (PEM). */
  caPem: string;
  writeKubeconfig(path: string, opts?: KubeconfigOptions): void;
  /** Stops every server, cutting open connections and hung requests. */
  close(): Promise<void>;
}

export async function startEmulator(specs: ClusterSpec[], opts: { host?: string } = {}): Promise<Emulator> {
  const names = new Set<string>();
  for (const s of specs) {
    if (names.has(s.name)) throw new Error(`duplicate emulated cluster name: ${s.name}`);
    names.add(s.name);
  }
  const tls = await testTls();
  const host = opts.host ?? '127.0.0.1';
  const clusters = specs.map((s) => new EmulatedCluster(s));
  try {
    await Promise.all(clusters.map((c) => c.listen(tls, host)));
  } catch (error) {
    await Promise.all(clusters.map((c) => c.close()));
    throw error;
  }
  const byName = new Map(clusters.map((c) => [c.name, c]));
  return {
    clusters,
    caPem: tls.caPem,
    cluster(name) {
      const c = byName.get(name);
      if (!c) throw new Error(`no emulated cluster named ${name} (have: ${[...byName.keys()].join(', ')})`);
      return c;
    },
    writeKubeconfig(path, kubeconfigOpts) {
      writeKubeconfigFile(path, clusters.map((c) => ({ name: c.name, url: c.url, token: c.token })), tls.caPem, kubeconfigOpts);
    },
    async close() {
      await Promise.all(clusters.map((c) => c.close()));
    },
  };
}
