import fc from 'fast-check';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Every line of the normalise and match fixtures (expected and actual sides): real command output. */
export function fixtureLines(): string[] {
  const root = join(import.meta.dirname, '..', 'fixtures');
  const lines: string[] = [];
  for (const area of ['normalise', 'match']) {
    for (const dir of readdirSync(join(root, area), { withFileTypes: true })) {
      if (!dir.isDirectory()) continue;
      for (const file of readdirSync(join(root, area, dir.name))) {
        if (!file.endsWith('.txt')) continue;
        lines.push(...readFileSync(join(root, area, dir.name, file), 'utf8').split('\n'));
      }
    }
  }
  return [...new Set(lines)];
}

/** Tokens of every built-in class, near misses, and the characters around them. */
const PIECES = [
  '10.0.0.1', '10.96.0.10', '10.96.0.10:53', '10.0.0.0/8', '256.1.1.1', '1.2.3.4.5', '10-0-0-12.', '10-0-0-12', '010.1.1.1',
  'fe80::1/64', '::1', '[fd00::1]:53', 'fd00:10:244::5', '2001:db8:0:0:0:0:0:1', '::ffff:10.0.0.1', '1::',
  '42:a5:ba:f7:76:97', 'ab:cd:ef:01:23', '11:15:04',
  '18s', '4m29s', '105m', '35h', '2d3h', '2y3d', '4.8s', '2044ms', '5µs', '2 (5m22s ago)', '0.079/0.261/0.502 ms', '0.5 ms', '1/1',
  '2022-05-17 11:15:04', '2022-05-17T11:15:04.123Z', 'Tue May 17 09:46:05 2022', 'Thu, 19 May 2022 21:38:04 GMT', '18/May/2022:21:45:00 +0000', 'I0517 11:15:04.123456', 'May 17 09:46', '09:46:05',
  'website-5746f499f-qzjjq', 'cilium-5gp4t', 'cilium-xkzqv', 'kube-proxy-929xs', 'meshweb-7cb97cfdd9', 'pod-template-hash=5746f499f', 'ip-172-31-24-84', 'kube-system',
  'sha256:d9d4c7759175db31', 'md5:0123456789abcdef', '8b1b7c6e-3f0a-4e8e-9d2c-5b8a1f0e7d3c', '0123456789ab', 'DEADBEEF0123', 'deadbeefcafe',
  'KUBE-SEP-FFKEUBR5SKHPYVCQ', 'KUBE-SVC-RYQJBQ5TR32XWAUN', 'KUBE-MARK-MASQ', 'KUBE-SEP-SHORT',
];
const AROUND = [' ', '  ', '\t', '.', ':', '-', '/', '=', ',', '[', ']', '(', ')', '"', '_', 'x', 'a', 'K', '0', '9', 'µ', 'é'];
const CHARS = '0123456789abcdefKUBESPVMaymshdnu:.-/[] ()=TuhWFrJApOcNoDIé';

/** Lines made of class tokens, near misses and separators, to hit every boundary case. */
export const lineArb: fc.Arbitrary<string> = fc
  .array(
    fc.oneof(
      { weight: 4, arbitrary: fc.constantFrom(...PIECES) },
      { weight: 3, arbitrary: fc.constantFrom(...AROUND) },
      { weight: 2, arbitrary: fc.string({ unit: fc.constantFrom(...CHARS), maxLength: 12 }) },
      { weight: 1, arbitrary: fc.string({ maxLength: 6 }) },
    ),
    { maxLength: 24 },
  )
  .map((parts) => parts.join(''));
