import type { CodeToken, DiffLineView, FileView, OutputLine, TranscriptView } from './view-model.ts';

/** Escapes text for HTML element content and double-quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

function codeTokensHtml(tokens: CodeToken[]): string {
  return tokens.map((t) => (t.style ? `<span style="${escapeHtml(t.style)}">${escapeHtml(t.text)}</span>` : escapeHtml(t.text))).join('');
}

function outputLineHtml(line: OutputLine): string {
  if (line.kind === 'elision') {
    return '<span class="lb-line lb-out lb-elision"><span aria-hidden="true">⋯</span><span class="sr-only" data-pagefind-ignore>(more lines of output)</span></span>';
  }
  const inner = line.tokens
    .map((t) =>
      t.volatile
        ? `<span class="lb-vol" tabindex="0" aria-describedby="${t.volatile.tipId}">${escapeHtml(t.text)}</span>` +
          `<span class="lb-tip" role="tooltip" id="${t.volatile.tipId}" data-pagefind-ignore>${escapeHtml(t.volatile.tip)}</span>`
        : escapeHtml(t.text),
    )
    .join('');
  return `<span class="lb-line lb-out">${inner}</span>`;
}

/**
 * The inside of a transcript's `<code>`: one span per source line, joined by newlines so that
 * selecting and copying by hand still gives lines. Prompts are their own span (not selectable,
 * styled apart), continuation and here-document lines follow their command, output lines are
 * plain text with volatile values focusable and described by a tooltip.
 * Built as a string because whitespace inside `<pre>` must be exact, which templates do not promise.
 */
export function transcriptBodyHtml(view: TranscriptView): string {
  const lines: string[] = [];
  for (const c of view.commands) {
    c.lines.forEach((tokens, i) => {
      const prompt = i === 0 ? `<span class="lb-prompt">${escapeHtml(c.prompt)}</span>` : '';
      lines.push(`<span class="lb-line ${i === 0 ? 'lb-cmd' : 'lb-cmd lb-cont'}">${prompt}<span class="lb-input">${codeTokensHtml(tokens)}</span></span>`);
    });
    for (const o of c.output) lines.push(outputLineHtml(o));
  }
  return lines.join('\n');
}

/** The inside of a file block's `<code>`: highlighted lines joined by newlines. */
export function fileBodyHtml(view: FileView): string {
  return view.lines.map((tokens) => `<span class="lb-line">${codeTokensHtml(tokens)}</span>`).join('\n');
}

const DIFF_MARKS = { '=': ' ', '~': '≈', '-': '−', '+': '+' } as const;
const DIFF_CLASSES = { '=': 'same', '~': 'volatile', '-': 'minus', '+': 'plus' } as const;

/** The inside of a drift diff's `<code>`: `−` lines are on the page, `+` lines were printed, `≈` matched through a volatile value. */
export function diffBodyHtml(lines: DiffLineView[]): string {
  return lines
    .map((l) => {
      const notes = l.notes?.length ? `<span class="lb-diff__notes">  (${escapeHtml(l.notes.join('; '))})</span>` : '';
      return `<span class="lb-diff__line lb-diff--${DIFF_CLASSES[l.op]}">${DIFF_MARKS[l.op]} ${escapeHtml(l.text)}${notes}</span>`;
    })
    .join('\n');
}
