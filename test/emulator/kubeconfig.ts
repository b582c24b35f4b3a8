// Kubeconfig for the emulated clusters: what a user of a real fleet has (one cluster/user/context each, the CA
// inline, bearer tokens or an exec credential plugin), so the CLI and kubectl load it through their normal paths.
import { writeFileSync } from 'node:fs';
import { stringify } from 'yaml';
import type { KubeconfigOptions } from './types';

export interface KubeconfigTarget {
  name: string;
  url: string;
  token: string;
}

/** An exec plugin that prints the token: the same flow as cloud auth plugins (gke-gcloud-auth-plugin, aws eks get-token). */
function execUser(token: string) {
  const credential = { apiVersion: 'client.authentication.k8s.io/v1', kind: 'ExecCredential', status: { token } };
  return {
    exec: {
      apiVersion: 'client.authentication.k8s.io/v1',
      command: 'node',
      args: ['-e', `process.stdout.write(${JSON.stringify(JSON.stringify(credential))})`],
      interactiveMode: 'Never',
      provideClusterInfo: false,
    },
  };
}

export function renderKubeconfig(targets: KubeconfigTarget[], caPem: string, opts: KubeconfigOptions = {}): string {
  const ca = Buffer.from(caPem).toString('base64');
  const entries = [
    ...targets.map((t) => ({ context: opts.contextName?.(t.name) ?? t.name, server: t.url, token: t.token as string | undefined })),
    ...(opts.extraContexts ?? []).map((c) => ({ context: c.name, server: c.server, token: c.token })),
  ];
  const config = {
    apiVersion: 'v1',
    kind: 'Config',
    preferences: {},
    'current-context': opts.currentContext ?? entries[0]?.context ?? '',
    clusters: entries.map((e) => ({ name: e.context, cluster: { server: e.server, 'certificate-authority-data': ca } })),
    users: entries.map((e) => ({
      name: e.context,
      user: e.token === undefined ? {} : opts.auth === 'exec' ? execUser(e.token) : { token: e.token },
    })),
    contexts: entries.map((e) => ({ name: e.context, context: { cluster: e.context, user: e.context } })),
  };
  return stringify(config);
}

export function writeKubeconfig(path: string, targets: KubeconfigTarget[], caPem: string, opts: KubeconfigOptions = {}): void {
  // 0600 like kubectl writes it: the file holds credentials.
  writeFileSync(path, renderKubeconfig(targets, caPem, opts), { mode: 0o600 });
}
