import { describe, expect, it } from 'vitest';
import { redact, redactDeep } from '../../src/util/redact';

describe('redact', () => {
  it('hides passwords and tokens embedded in URLs but keeps the host and user', () => {
    expect(redact("unable to clone 'https://ci-bot:s3cretPassw0rd@git.example.com/org/repo.git'")).toBe("unable to clone 'https://ci-bot:***@git.example.com/org/repo.git'");
    expect(redact('https://ghp_abcdefghijklmnopqrstuvwxyz0123456789@github.com/acme/x')).not.toContain('ghp_abcdefghijklmnopqrstuvwxyz0123456789');
  });
  it('keeps ssh user names, which are not secrets', () => {
    expect(redact('ssh://git@github.com/acme/fleet.git')).toBe('ssh://git@github.com/acme/fleet.git');
  });
  it('hides well-known token shapes, keys and key=value secrets', () => {
    for (const secret of ['glpat-ABCDEFGHIJKLMNOPQRST', 'AKIAIOSFODNN7EXAMPLE', 'AGE-SECRET-KEY-1QQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQ', 'xoxb-1234567890-abcdefghij']) {
      expect(redact(`value ${secret} here`)).not.toContain(secret);
    }
    expect(redact('password=hunter2 user=bob')).toBe('password=*** user=bob');
    expect(redact('Authorization: Bearer abcdefghijklmnopqrstuvwxyz')).not.toContain('abcdefghijklmnopqrstuvwxyz');
    expect(redact('-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----')).not.toContain('b3BlbnNzaC1rZXktdjEAAAAA');
  });
  it('leaves ordinary Flux messages alone, even when a resource name ends in -token or -secret', () => {
    for (const m of [
      "dependency 'flux-system/infrastructure' is not ready",
      "decryption failed for 'Secret.v1.[noGrp]/cloudflare-token': failed to decrypt and format 'cert-manager/cloudflare-token' Secret data",
      "unable to read token from secret 'flux-system/receiver-token' error: secrets \"receiver-token\" not found",
      // Go error wrapping: the cause after "token:" is prose, not a credential.
      'chart pull error: failed to authorize: failed to fetch anonymous token: unexpected status from GET request to https://ghcr.io/token?scope=repository%3Aorg%2Fcharts%3Apull&service=ghcr.io: 403 Forbidden',
      'failed to get credential from azure: failed to get access token: context deadline exceeded',
    ]) expect(redact(m)).toBe(m);
  });
  it('hides the value sops quotes when it finds plaintext where an encrypted value should be', () => {
    const m = "decryption failed for 'app': error decrypting sops tree: Error walking tree: Could not decrypt value: Input string hunter2-prod-db does not match sops' data format";
    expect(redact(m)).toBe("decryption failed for 'app': error decrypting sops tree: Error walking tree: Could not decrypt value: Input string *** does not match sops' data format");
  });
  it('still hides a one-word secret after a colon', () => {
    expect(redact('password: hunter2')).toBe('password: ***');
    expect(redact('token: Abc123def and more')).toBe('token: *** and more');
    expect(redact('secret: s3cret')).toBe('secret: ***');
  });
  it('hides JSON-style secret fields', () => {
    expect(redact('{"password": "hunter22", "user": "bob"}')).toBe('{"password": "***", "user": "bob"}');
  });
  it('walks nested values', () => {
    expect(redactDeep({ a: ['https://u:p4ssword@h/x'], n: 3 })).toEqual({ a: ['https://u:***@h/x'], n: 3 });
  });
});
