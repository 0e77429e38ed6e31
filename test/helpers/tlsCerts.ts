import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface TestCerts {
  dir: string;
  /** CA that signed the server certificate. */
  ca: string;
  /** An unrelated CA: trusting only it must fail the handshake. */
  otherCa: string;
  serverCert: string;
  serverKey: string;
}

function openssl(dir: string, args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'], timeout: 30_000 });
}

/** A CA, a server certificate for localhost / 127.0.0.1 signed by it, and a second unrelated CA, generated with the openssl CLI into dir. */
export function makeTestCerts(dir: string): TestCerts {
  const ca = (name: string): void => openssl(dir, ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.pem`, '-days', '2', '-subj', `/CN=mqbench test ${name}`]);
  ca('ca');
  ca('other-ca');
  openssl(dir, ['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=localhost']);
  writeFileSync(join(dir, 'server.ext'), 'basicConstraints = CA:FALSE\nsubjectAltName = DNS:localhost, IP:127.0.0.1\n');
  openssl(dir, ['x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.pem', '-days', '2', '-extfile', 'server.ext']);
  return { dir, ca: join(dir, 'ca.pem'), otherCa: join(dir, 'other-ca.pem'), serverCert: join(dir, 'server.pem'), serverKey: join(dir, 'server.key') };
}
