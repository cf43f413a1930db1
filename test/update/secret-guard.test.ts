import { describe, expect, it } from 'vitest';
import { capText } from '../../src/model/cap-output.ts';
import { refuseNewSecrets } from '../../src/update/secret-guard.ts';
import { PLANTED } from '../redact/planted.ts';

describe('refuseNewSecrets', () => {
  it('refuses a rewrite that adds a secret of any kind, naming the line', () => {
    for (const p of PLANTED) {
      const why = refuseNewSecrets('lab/01.mdx', 'a\nb\n', `a\n${p.line}\nb\n`);
      expect(why, p.kind).toMatch(p.kind === 'private-key' ? /^update: lab\/01\.mdx:3: not rewritten/ : /^update: lab\/01\.mdx:2: not rewritten: the new output holds a secret/);
    }
  });

  it('lets a rewrite keep an example secret the author wrote on purpose', () => {
    const page = `intro\n${PLANTED[0]!.line}\n`;
    expect(refuseNewSecrets('lab/01.mdx', page, `${page}more output\n`)).toBeUndefined();
  });

  it('refuses an output that was cut to its size limit', () => {
    const cut = capText(Array.from({ length: 5000 }, (_, i) => `row ${i}`).join('\n'), 1000);
    expect(refuseNewSecrets('lab/01.mdx', 'x\n', `x\n${cut}\n`)).toMatch(/over the size limit and was cut/);
  });
});
