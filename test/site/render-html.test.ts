import { describe, expect, it } from 'vitest';
import { checkDataJson, diffBodyHtml, diffPreHtml, escapeHtml, fileBodyHtml, hasValues, transcriptBodyHtml } from '../../src/site/render-html.ts';
import type { FileView, TranscriptView } from '../../src/site/view-model.ts';

const view: TranscriptView = {
  kind: 'command',
  id: 'b',
  anchor: 'block-b',
  session: 'host',
  title: 'Terminal',
  copyText: 'echo "<hi>"',
  notes: [],
  status: { kind: 'unverified', label: 'Not yet verified' },
  source: 'x.mdx:1',
  scope: 'demo',
  commands: [
    {
      prompt: '$ ',
      lines: [[{ text: 'echo', style: '--shiki-light:#111;--shiki-dark:#eee' }, { text: ' "<hi>" \\' }], [{ text: '  more' }]],
      output: [
        { kind: 'text', tokens: [{ text: 'ip ' }, { text: '10.0.0.1', volatile: { label: 'IP address', tip: 'IP address — yours will differ', tipId: 'block-b-tip-1' } }] },
        { kind: 'elision' },
      ],
    },
  ],
};

describe('transcriptBodyHtml', () => {
  const html = transcriptBodyHtml(view);
  it('puts one line per source line, joined by newlines', () => {
    expect(html.split('\n')).toHaveLength(4);
  });
  it('gives only the first command line a prompt', () => {
    expect(html.match(/lb-prompt/g)).toHaveLength(1);
    expect(html.split('\n')[1]).toContain('lb-cont');
  });
  it('escapes command and output text', () => {
    expect(html).toContain('&quot;&lt;hi&gt;&quot;');
    expect(html).not.toContain('<hi>');
  });
  it('makes volatile values focusable and described by their tooltip', () => {
    expect(html).toContain('<span class="lb-vol" tabindex="0" aria-describedby="block-b-tip-1">10.0.0.1</span>');
    expect(html).toContain('<span class="lb-tip" role="tooltip" id="block-b-tip-1" data-pagefind-ignore>IP address — yours will differ</span>');
  });
  it('shows elisions with words for screen readers', () => {
    expect(html).toContain('lb-elision');
    expect(html).toContain('sr-only');
  });
  it('keeps the highlight colours', () => {
    expect(html).toContain('style="--shiki-light:#111;--shiki-dark:#eee"');
  });
});

describe('fileBodyHtml and diffBodyHtml', () => {
  it('renders file lines', () => {
    const f = { lines: [[{ text: 'a: <1>' }], []] } as unknown as FileView;
    expect(fileBodyHtml(f)).toBe('<span class="lb-line">a: &lt;1&gt;</span>\n<span class="lb-line"></span>');
  });
  it('marks diff lines by op', () => {
    const html = diffBodyHtml([{ op: '-', text: 'old' }, { op: '+', text: 'new', notes: ['x → y'] }]);
    expect(html).toContain('lb-diff--minus">− old');
    expect(html).toContain('lb-diff--plus">+ new');
    expect(html).toContain('(x → y)');
  });
  it('escapes quotes for attributes', () => {
    expect(escapeHtml(`a"b'c&`)).toBe('a&quot;b&#39;c&amp;');
  });
});

describe('values in commands and roving focus', () => {
  const tip = (n: number) => ({ tip: 'Pod name printed above', tipId: `block-c-tip-${n}` });
  const withValues: TranscriptView = {
    ...view,
    anchor: 'block-c',
    commands: [
      {
        prompt: '$ ',
        // A value the highlighter split in two pieces is still one value.
        lines: [[{ text: 'kubectl delete pod ' }, { text: 'web-', value: tip(1) }, { text: 'x2k9p', style: '--shiki-light:#111;--shiki-dark:#eee', value: tip(1) }]],
        output: [{ kind: 'text', tokens: [{ text: 'ip ' }, { text: '10.0.0.1', volatile: { label: 'IP address', tip: 't', tipId: 'block-c-tip-2', bind: true } }] }],
      },
    ],
  };
  const html = transcriptBodyHtml(withValues);

  it('marks a value in a command once, with its example for the learner’s own value', () => {
    expect(html).toContain('<span class="lb-vol lb-vol--cmd" tabindex="0" aria-describedby="block-c-tip-1" data-ex="web-x2k9p">web-x2k9p</span>');
    expect(html.match(/block-c-tip-1"/g)).toHaveLength(2); // the value's aria-describedby and its tooltip's id
  });

  it('makes only the first value of a block a tab stop', () => {
    expect(html).toContain('<span class="lb-vol" tabindex="-1" aria-describedby="block-c-tip-2" data-ex="10.0.0.1">10.0.0.1</span>');
    expect(hasValues(withValues)).toBe(true);
    expect(hasValues({ ...view, commands: [{ prompt: '$ ', lines: [[{ text: 'ls' }]], output: [] }] })).toBe(false);
  });
});

describe('diffPreHtml and checkDataJson', () => {
  it('starts the diff right after <pre><code>, with no whitespace to shift its first line', () => {
    expect(diffPreHtml([{ op: '-', text: 'a' }])).toMatch(/^<pre class="lb-diff" tabindex="0"><code><span class="lb-diff__line lb-diff--minus">− a<\/span><\/code><\/pre>$/);
  });

  it('cannot close its script element', () => {
    const json = checkDataJson({ volatile: [], pin: [], mode: 'exact', file: 'f', commands: [{ prompt: '$ ', text: 'echo "</script><!--"', expected: [] }] });
    expect(json).not.toContain('<');
    expect(JSON.parse(json).commands[0].text).toBe('echo "</script><!--"');
  });
});
