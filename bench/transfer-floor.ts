// The transfer floor: the least any client on this machine could take to receive what `fluxdiag status`
// receives. A bare Node process opens one HTTP/2 connection per cluster, sends exactly the requests fluxdiag
// sent (from the emulator's request log), all at once, and reads the bodies without parsing them.
//   node dist/transfer-floor.js PLAN.json
// The same headers as fluxdiag (gzip accepted, as kube-apiserver compresses large lists), bodies left compressed.
// PLAN: { ca: PEM, clusters: [{ url, token, paths: [...] }] }. Prints the bytes received.
import http2 from 'node:http2';
import { readFileSync } from 'node:fs';

interface Plan {
  ca: string;
  clusters: { url: string; token: string; paths: string[] }[];
}

function fetchAll(ca: string, cluster: Plan['clusters'][number]): Promise<number> {
  return new Promise((resolve, reject) => {
    const session = http2.connect(cluster.url, { ca });
    session.on('error', reject);
    let bytes = 0;
    let open = cluster.paths.length;
    for (const path of cluster.paths) {
      const stream = session.request({ ':path': path, authorization: `Bearer ${cluster.token}`, accept: 'application/json', 'accept-encoding': 'gzip' }, { endStream: true });
      stream.on('data', (chunk: Buffer) => (bytes += chunk.length));
      stream.on('error', reject);
      stream.on('end', () => {
        if (--open === 0) {
          session.close();
          resolve(bytes);
        }
      });
    }
  });
}

const plan: Plan = JSON.parse(readFileSync(process.argv[2]!, 'utf8'));
const bytes = (await Promise.all(plan.clusters.map((c) => fetchAll(plan.ca, c)))).reduce((a, b) => a + b, 0);
process.stdout.write(`${bytes}\n`);
