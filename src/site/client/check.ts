/**
 * "Check my output", loaded only when a learner first presses Check: the runner's own parse,
 * normalise and match code, compiled for the browser. No request leaves the page.
 */
import { checkOutput } from '../check-output.ts';
import { diffPreHtml, escapeHtml } from '../render-html.ts';
import type { CheckData } from '../view-model.ts';
import { addValues, readValues } from './values.ts';

/** Checks the paste of one block's checker panel and shows the outcome. */
export function runCheck(panel: HTMLElement): void {
  const figure = panel.closest<HTMLElement>('figure[data-scope]');
  const dataEl = panel.querySelector('script.lb-check-data');
  const input = panel.querySelector('textarea');
  const out = panel.querySelector<HTMLElement>('.lb-check-result');
  if (!figure || !dataEl || !input || !out) return;
  const scope = figure.dataset.scope!;
  const data = JSON.parse(dataEl.textContent ?? '{}') as CheckData;
  const values = readValues(scope);
  const outcome = checkOutput(data, input.value, values);
  if (outcome.problem) {
    out.dataset.state = 'problem';
    out.innerHTML = `<p>${escapeHtml(outcome.problem)}</p>`;
    return;
  }
  const bound = Object.keys(outcome.made).length;
  const parts: string[] = [];
  if (outcome.ok) {
    parts.push(`<p class="lb-check-ok">✓ Matches: your output is what this step expects.${bound ? ` ${bound} value${bound === 1 ? '' : 's'} of yours now replace the examples in this lab's commands and outputs.` : ''}</p>`);
  } else {
    parts.push(`<p class="lb-check-bad">✗ Does not match. Lines marked − are on the page, + are in your output, ≈ matched a value that differs on every machine.</p>`);
    // A value must agree with the one checked earlier, as in a run; a fresh cluster has new ones.
    if (Object.keys(values).length > 0) parts.push('<p>Your earlier values count here too. If you started again from scratch, clear them (“Your values” at the top of the page) and check again.</p>');
  }
  for (const c of outcome.commands) {
    if (!c.found) {
      if (data.commands.length > 1) parts.push(`<p><code>${escapeHtml(c.command.split('\n')[0]!)}</code>: not in what you pasted.</p>`);
      continue;
    }
    if (c.ok && outcome.ok) continue;
    parts.push(`<p><code>${escapeHtml(c.command.split('\n')[0]!)}</code>: ${c.ok ? 'matches' : escapeHtml(c.reason ?? 'differs')}</p>`);
    if (!c.ok && c.diff.length > 0) parts.push(diffPreHtml(c.diff.map((d) => (d.notes?.length ? { op: d.op, text: d.text, notes: d.notes } : { op: d.op, text: d.text }))));
  }
  out.dataset.state = outcome.ok ? 'ok' : 'bad';
  out.innerHTML = parts.join('');
  if (bound > 0) addValues(scope, outcome.made);
}
