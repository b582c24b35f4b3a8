// TLS material for the emulated API servers: a throw-away CA and one server certificate, made with the
// openssl CLI (Node has no certificate-signing API). Clients (kubectl, the CLI) verify the server against the CA,
// as with a real cluster, so nothing runs with verification disabled. Generated once per process: every
// emulated cluster shares the certificate (SAN 127.0.0.1/localhost), and startup stays fast with 30 clusters.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { randomBytes } from 'node:crypto';

const run = promisify(execFile);

export interface TlsMaterial {
  caPem: string;
  certPem: string;
  keyPem: string;
}

let cached: Promise<TlsMaterial> | undefined;

async function generate(): Promise<TlsMaterial> {
  const dir = mkdtempSync(join(tmpdir(), 'fluxdiag-emulator-tls-'));
  const p = (name: string) => join(dir, name);
  const openssl = (args: string[]) => run('openssl', args, { cwd: dir });
  try {
    // EC P-256: fast to generate and accepted by Go's and Node's TLS stacks.
    const ecKey = ['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256'];
    await Promise.all([openssl([...ecKey, '-out', p('ca.key')]), openssl([...ecKey, '-out', p('server.key')])]);
    await openssl([
      'req', '-x509', '-new', '-key', p('ca.key'), '-sha256', '-days', '3650', '-subj', '/CN=fluxdiag-emulator-ca',
      '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign', '-out', p('ca.crt'),
    ]);
    await openssl(['req', '-new', '-key', p('server.key'), '-subj', '/CN=kube-apiserver', '-out', p('server.csr')]);
    // Go refuses certificates without a SAN (CN matching is gone), hence the extension file.
    writeFileSync(p('server.ext'), [
      'subjectAltName=IP:127.0.0.1,DNS:localhost',
      'basicConstraints=critical,CA:FALSE',
      'keyUsage=critical,digitalSignature',
      'extendedKeyUsage=serverAuth',
    ].join('\n') + '\n');
    await openssl([
      'x509', '-req', '-in', p('server.csr'), '-CA', p('ca.crt'), '-CAkey', p('ca.key'),
      '-set_serial', `0x${randomBytes(8).toString('hex')}`, '-days', '825', '-sha256', '-extfile', p('server.ext'), '-out', p('server.crt'),
    ]);
    return {
      caPem: readFileSync(p('ca.crt'), 'utf8'),
      certPem: readFileSync(p('server.crt'), 'utf8'),
      keyPem: readFileSync(p('server.key'), 'utf8'),
    };
  } catch (error) {
    const e = error as { stderr?: string; message: string };
    throw new Error(`cannot generate the emulator's TLS certificates with openssl: ${e.stderr?.trim() || e.message}`);
  } finally {
    // The PEMs live in memory from here on; no key material is left behind in /tmp.
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The process-wide CA and server certificate (generated on first use). */
export function testTls(): Promise<TlsMaterial> {
  cached ??= generate();
  cached.catch(() => {
    cached = undefined; // let a later call retry, e.g. after installing openssl
  });
  return cached;
}
