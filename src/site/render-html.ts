import type { CheckData, CodeToken, DiffLineView, FileView, OutputLine, TranscriptView } from './view-model.ts';

/** Escapes text for HTML element content and double-quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

function plainTokenHtml(t: CodeToken): string {
  return t.style ? `<span style="${escapeHtml(t.style)}">${escapeHtml(t.text)}</span>` : escapeHtml(t.text);
}

/**
 * Tab order inside a transcript: its marked values are one tab stop (roving focus: the first
 * is reachable with Tab, the arrow keys move between them, see client/blocks.ts).
 */
interface Roving {
  first: boolean;
}

function tabindexOf(roving: Roving): string {
  const value = roving.first ? '0' : '-1';
  roving.first = false;
  return value;
}

/** A marked value: focusable (roving), described by its tooltip, `data-ex` holding the example so a learner's own value can replace it. */
function valueHtml(text: string, tip: string, tipId: string, roving: Roving, extra: string, bind: boolean): string {
  const ex = bind ? ` data-ex="${escapeHtml(text)}"` : '';
  return (
    `<span class="lb-vol${extra}" tabindex="${tabindexOf(roving)}" aria-describedby="${tipId}"${ex}>${escapeHtml(text)}</span>` +
    `<span class="lb-tip" role="tooltip" id="${tipId}" data-pagefind-ignore>${escapeHtml(tip)}</span>`
  );
}

function codeTokensHtml(tokens: CodeToken[], roving: Roving = { first: false }): string {
  let html = '';
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (!t.value) {
      html += plainTokenHtml(t);
      continue;
    }
    // A value highlighted in several pieces is still one value.
    let text = t.text;
    while (tokens[i + 1]?.value?.tipId === t.value.tipId) text += tokens[++i]!.text;
    html += valueHtml(text, t.value.tip, t.value.tipId, roving, ' lb-vol--cmd', true);
  }
  return html;
}

/** Whether a transcript has marked values (then they, not the code box, are its tab stop). */
export function hasValues(view: TranscriptView): boolean {
  return view.commands.some((c) => c.lines.some((l) => l.some((t) => t.value)) || c.output.some((o) => o.kind === 'text' && o.tokens.some((t) => t.volatile)));
}

function outputLineHtml(line: OutputLine, roving: Roving): string {
  if (line.kind === 'elision') {
    return '<span class="lb-line lb-out lb-elision"><span aria-hidden="true">⋯</span><span class="sr-only" data-pagefind-ignore>(more lines of output)</span></span>';
  }
  const inner = line.tokens.map((t) => (t.volatile ? valueHtml(t.text, t.volatile.tip, t.volatile.tipId, roving, '', t.volatile.bind === true) : escapeHtml(t.text))).join('');
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
  const roving: Roving = { first: true };
  view.commands.forEach((c, n) => {
    c.lines.forEach((tokens, i) => {
      const prompt = i === 0 ? `<span class="lb-prompt">${escapeHtml(c.prompt)}</span>` : '';
      const data = i === 0 ? ` data-cmd="${n}"` : '';
      lines.push(`<span class="lb-line ${i === 0 ? 'lb-cmd' : 'lb-cmd lb-cont'}"${data}>${prompt}<span class="lb-input">${codeTokensHtml(tokens, roving)}</span></span>`);
    });
    for (const o of c.output) lines.push(outputLineHtml(o, roving));
  });
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

/** A drift diff as a whole `<pre>`, built as one string so no template whitespace shifts its first line. */
export function diffPreHtml(lines: DiffLineView[]): string {
  return `<pre class="lb-diff" tabindex="0"><code>${diffBodyHtml(lines)}</code></pre>`;
}

/** The checker's data as JSON safe inside a `<script type="application/json">` (no `</script>`, no `<!--`). */
export function checkDataJson(check: CheckData): string {
  return JSON.stringify(check).replace(/</g, '\\u003c');
}
