// A throwaway self-signed certificate for 127.0.0.1, made by the real openssl (CI installs it).

import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

/** Whether openssl is on PATH. */
export const HAS_OPENSSL = spawnSync('openssl', ['version'], { stdio: 'ignore' }).status === 0;

/** Writes cert.pem and key.pem into `dir`; throws when openssl fails. */
export function makeCertificate(dir: string): { cert: string; key: string } {
  const cert = join(dir, 'cert.pem');
  const key = join(dir, 'key.pem');
  const made = spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=localhost', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
  if (made.status !== 0) throw new Error('openssl could not make a certificate');
  return { cert, key };
}
