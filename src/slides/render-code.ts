import { escapeHtml } from '../site/render-html.ts';
import type { SlideCodeView } from './prepare-slide.ts';

/**
 * The inside of a slide code block's `<code>`: one span per line carrying the highlight ranges
 * that light it (`data-lit="0 2"`), joined by newlines so copying by hand keeps the lines.
 * Token colours come as `--shiki-light`/`--shiki-dark` custom properties, like the lab pages'.
 */
export function slideCodeHtml(view: SlideCodeView): string {
  return view.lines
    .map((tokens, i) => {
      const lit = view.ranges > 0 ? ` data-lit="${(view.lit[i] ?? []).join(' ')}"` : '';
      const inner = tokens.map((t) => (t.style ? `<span style="${escapeHtml(t.style)}">${escapeHtml(t.text)}</span>` : escapeHtml(t.text))).join('');
      return `<span class="sc-line"${lit}>${inner}</span>`;
    })
    .join('\n');
}
