/**
 * A learner's own values, kept per lab in local storage (example value → theirs), and shown in
 * place of the examples on every page of that lab: in commands, in outputs, and in what Copy
 * copies. Nothing leaves the browser.
 */

const PREFIX = 'labs-values:';

/** The learner's values of a lab (or page scope); empty when none or storage is unavailable. */
export function readValues(scope: string): Record<string, string> {
  try {
    const raw = localStorage.getItem(PREFIX + scope);
    const parsed: unknown = raw ? JSON.parse(raw) : {};
    if (!parsed || typeof parsed !== 'object') return {};
    return Object.fromEntries(Object.entries(parsed as Record<string, unknown>).filter((e): e is [string, string] => typeof e[1] === 'string'));
  } catch {
    return {};
  }
}

/** Adds values to a scope's (later ones win) and shows them. */
export function addValues(scope: string, made: Record<string, string>): void {
  writeValues(scope, { ...readValues(scope), ...made });
}

/** Forgets a scope's values and shows the examples again. */
export function clearValues(scope: string): void {
  writeValues(scope, {});
}

function writeValues(scope: string, values: Record<string, string>): void {
  try {
    if (Object.keys(values).length === 0) localStorage.removeItem(PREFIX + scope);
    else localStorage.setItem(PREFIX + scope, JSON.stringify(values));
  } catch {
    // Private mode or full storage: the values still show on this page until it is left.
  }
  applyValues(scope, values);
}

/** Every value scope on this page. */
function scopesOnPage(): string[] {
  return [...new Set([...document.querySelectorAll<HTMLElement>('[data-scope]')].map((e) => e.dataset.scope!))];
}

/** Shows a scope's values (or the examples, where it has none) in its blocks, and the "your values" panel. */
export function applyValues(scope: string, values: Record<string, string> = readValues(scope)): void {
  for (const figure of document.querySelectorAll<HTMLElement>('figure[data-scope]')) {
    if (figure.dataset.scope !== scope) continue;
    for (const el of figure.querySelectorAll<HTMLElement>('[data-ex]')) {
      const example = el.dataset.ex!;
      const tip = el.nextElementSibling instanceof HTMLElement && el.nextElementSibling.classList.contains('lb-tip') ? el.nextElementSibling : undefined;
      if (tip && tip.dataset.tip === undefined) tip.dataset.tip = tip.textContent ?? '';
      const yours = values[example];
      if (yours !== undefined) {
        el.textContent = yours;
        el.classList.add('lb-vol--yours');
        if (tip) tip.textContent = `Your value, from the output you checked (the page's example: ${example}).`;
      } else {
        el.textContent = example;
        el.classList.remove('lb-vol--yours');
        if (tip) tip.textContent = tip.dataset.tip ?? '';
      }
    }
  }
  renderPanel(scope, values);
}

/** The commands of a block as Copy gives them: the learner's values where they have them. */
export function commandsText(figure: Element): string {
  return [...figure.querySelectorAll('.lb-body .lb-input')]
    .map((input) => {
      const copy = input.cloneNode(true) as Element;
      for (const tip of copy.querySelectorAll('.lb-tip')) tip.remove();
      return copy.textContent ?? '';
    })
    .join('\n');
}

/** The "Your values" panel at the top of the page: what was bound, and a button to forget it. */
function renderPanel(scope: string, values: Record<string, string>): void {
  const id = `lb-values-${scope.replace(/[^A-Za-z0-9_-]/g, '-')}`;
  let panel = document.getElementById(id);
  const entries = Object.entries(values);
  if (entries.length === 0) {
    panel?.remove();
    return;
  }
  if (!panel) {
    panel = document.createElement('section');
    panel.id = id;
    panel.className = 'lb-values';
    panel.setAttribute('aria-label', 'Your values');
    panel.setAttribute('data-pagefind-ignore', '');
    const first = document.querySelector(`figure[data-scope="${CSS.escape(scope)}"]`);
    const main = document.querySelector('.sl-markdown-content') ?? first?.parentElement;
    if (!main) return;
    main.prepend(panel);
  }
  panel.replaceChildren();
  const details = document.createElement('details');
  const summary = document.createElement('summary');
  summary.textContent = `Your values (${entries.length}) are shown in the commands and outputs of this lab`;
  const list = document.createElement('dl');
  for (const [example, yours] of entries) {
    const dt = document.createElement('dt');
    dt.textContent = example;
    const dd = document.createElement('dd');
    dd.textContent = yours;
    list.append(dt, dd);
  }
  const clear = document.createElement('button');
  clear.type = 'button';
  clear.className = 'lb-values__clear';
  clear.textContent = 'Clear my values';
  clear.addEventListener('click', () => clearValues(scope));
  const legend = document.createElement('p');
  legend.textContent = 'Example on the page → yours. Kept in this browser only.';
  details.append(summary, legend, list, clear);
  panel.append(details);
}

/** Shows every scope's stored values on page load. */
export function applyAllValues(): void {
  for (const scope of scopesOnPage()) applyValues(scope);
}
