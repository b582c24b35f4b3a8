import { describe, expect, it } from 'vitest';
import { truncateMiddle } from '../../src/render/table';

describe('truncateMiddle', () => {
  const message = "failed to download archive: GET http://source-controller.flux-system.svc.cluster.local./gitrepository/flux-system/flux-system/7bb14ea05dd03ab0161cf7d7b6068a93f3123aa9.tar.gz giving up after 10 attempt(s): Get \"http://source-controller.flux-system.svc.cluster.local./x.tar.gz\": dial tcp 10.0.165.86:80: i/o timeout";

  it('keeps the head and the cause at the end of a wrapped Go error', () => {
    const out = truncateMiddle(message, 160);
    expect(out.length).toBeLessThanOrEqual(160);
    expect(out.startsWith('failed to download archive:')).toBe(true);
    expect(out.endsWith('dial tcp 10.0.165.86:80: i/o timeout')).toBe(true);
    expect(out).toContain(' … ');
  });

  it('leaves short text alone and folds whitespace', () => {
    expect(truncateMiddle('a  b\nc', 160)).toBe('a b c');
  });
});
