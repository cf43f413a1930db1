/**
 * The only script lab pages ship for their blocks: copy buttons, volatile-value tooltips, the
 * toolbar's panels, roving focus, the learner's own values and "Replay" (./replay.ts). "Check my
 * output" loads the matcher on demand (./check.ts). No framework; one delegated listener per event, so it works
 * for any number of blocks.
 */
import { applyAllValues, commandsText } from './values.ts';
// "Replay": small, and loaded with the page so a replay needs no network.
import './replay.ts';

/** Says something to screen readers through one shared polite live region. */
function announce(message: string): void {
  let region = document.getElementById('lb-announcer');
  if (!region) {
    region = document.createElement('div');
    region.id = 'lb-announcer';
    region.className = 'sr-only';
    region.setAttribute('role', 'status');
    document.body.append(region);
  }
  region.textContent = '';
  // A fresh text node after clearing makes repeated announcements ("Copied" twice) heard again.
  setTimeout(() => (region.textContent = message), 50);
}

/** Copies with the async clipboard API, falling back to a hidden textarea where it is missing (http, old browsers). */
async function copyText(text: string): Promise<void> {
  try {
    await navigator.clipboard.writeText(text);
    return;
  } catch {
    const area = document.createElement('textarea');
    area.value = text;
    area.setAttribute('readonly', '');
    area.style.position = 'fixed';
    area.style.opacity = '0';
    document.body.append(area);
    area.select();
    const ok = document.execCommand('copy');
    area.remove();
    if (!ok) throw new Error('copy failed');
  }
}

document.addEventListener('click', async (event) => {
  const button = (event.target as Element | null)?.closest?.('button.lb-copy');
  if (!(button instanceof HTMLButtonElement)) return;
  const figure = button.closest<HTMLElement>('figure[data-scope]');
  // Where the commands show values of the learner's own, copy them as shown; else the page's text.
  const text = figure?.querySelector('.lb-input .lb-vol--yours') ? commandsText(figure) : (button.dataset.copy ?? '');
  const label = button.querySelector('.lb-copy__text');
  try {
    await copyText(text);
    button.dataset.state = 'copied';
    if (label) label.textContent = 'Copied';
    announce('Copied to the clipboard');
  } catch {
    button.dataset.state = 'failed';
    if (label) label.textContent = 'Select and copy';
    announce('Could not copy; select the text and copy it instead');
  }
  setTimeout(() => {
    delete button.dataset.state;
    if (label) label.textContent = 'Copy';
  }, 2000);
});

/** Places a volatile value's tooltip under it (or above, near the bottom of the window); fixed, so scrolling code boxes do not clip it. */
function placeTip(token: Element): void {
  const tip = token.nextElementSibling;
  if (!(tip instanceof HTMLElement) || !tip.classList.contains('lb-tip')) return;
  const box = token.getBoundingClientRect();
  const width = tip.offsetWidth;
  const height = tip.offsetHeight;
  const left = Math.max(8, Math.min(box.left, window.innerWidth - width - 8));
  const below = box.bottom + 6;
  const top = below + height > window.innerHeight - 8 ? box.top - height - 6 : below;
  tip.style.left = `${left}px`;
  tip.style.top = `${top}px`;
}

for (const type of ['focusin', 'mouseover'] as const) {
  document.addEventListener(type, (event) => {
    const token = (event.target as Element | null)?.closest?.('.lb-vol');
    if (token) {
      token.classList.remove('lb-dismissed');
      placeTip(token);
    }
  });
}

// A tooltip can be dismissed without moving focus (WCAG 1.4.13).
document.addEventListener('keydown', (event) => {
  if (event.key !== 'Escape') return;
  const active = document.activeElement;
  if (active?.classList.contains('lb-vol')) active.classList.add('lb-dismissed');
  for (const t of document.querySelectorAll('.lb-vol:hover')) t.classList.add('lb-dismissed');
});

document.addEventListener(
  'scroll',
  () => {
    const active = document.activeElement;
    if (active?.classList.contains('lb-vol')) placeTip(active);
    for (const t of document.querySelectorAll('.lb-vol:hover')) placeTip(t);
  },
  { capture: true, passive: true },
);

// The toolbar's badge and "Check my output" each open a panel under the block's header.
document.addEventListener('click', (event) => {
  const toggle = (event.target as Element | null)?.closest?.('button[data-toggle]');
  if (!(toggle instanceof HTMLButtonElement)) return;
  const panel = document.getElementById(toggle.dataset.toggle!);
  if (!panel) return;
  const open = panel.hidden;
  panel.hidden = !open;
  toggle.setAttribute('aria-expanded', String(open));
  if (open) panel.querySelector<HTMLElement>('textarea')?.focus();
});

// Escape in an open panel closes it and gives focus back to the button that opened it.
document.addEventListener('keydown', (event) => {
  if (event.key !== 'Escape') return;
  const panel = (event.target as Element | null)?.closest?.<HTMLElement>('.lb-about, .lb-checker');
  const toggle = panel && document.querySelector<HTMLButtonElement>(`button[data-toggle="${panel.id}"]`);
  if (!panel || !toggle) return;
  panel.hidden = true;
  toggle.setAttribute('aria-expanded', 'false');
  toggle.focus();
});

// "Check my output": the matcher is loaded the first time it is needed.
document.addEventListener('click', async (event) => {
  const button = (event.target as Element | null)?.closest?.('button.lb-check-run');
  const panel = button?.closest<HTMLElement>('.lb-checker');
  if (!panel) return;
  const out = panel.querySelector<HTMLElement>('.lb-check-result');
  try {
    const { runCheck } = await import('./check.ts');
    runCheck(panel);
  } catch {
    if (out) out.textContent = 'The checker could not load; reload the page and try again.';
  }
});

/**
 * Roving focus: a `[data-roving]` container is one tab stop; the arrow keys, Home and End move
 * between its items (the selector in `data-roving`), and Tab returns to the last one focused.
 */
document.addEventListener('keydown', (event) => {
  const keys = ['ArrowRight', 'ArrowDown', 'ArrowLeft', 'ArrowUp', 'Home', 'End'];
  if (!keys.includes(event.key)) return;
  const item = event.target as HTMLElement | null;
  const group = item?.parentElement?.closest<HTMLElement>('[data-roving]');
  // On a slide the arrow keys belong to the deck.
  if (!item || !group || group.closest('.deck-canvas')) return;
  const items = [...group.querySelectorAll<HTMLElement>(group.dataset.roving!)].filter((e) => e.offsetParent !== null || e === item);
  const at = items.indexOf(item);
  if (at < 0) return;
  const next =
    event.key === 'Home' ? 0 : event.key === 'End' ? items.length - 1 : event.key === 'ArrowRight' || event.key === 'ArrowDown' ? Math.min(items.length - 1, at + 1) : Math.max(0, at - 1);
  event.preventDefault();
  items[next]!.focus();
});

document.addEventListener('focusin', (event) => {
  const item = event.target as HTMLElement | null;
  const group = item?.parentElement?.closest<HTMLElement>('[data-roving]');
  if (!item || !group || !item.matches(group.dataset.roving!)) return;
  for (const other of group.querySelectorAll<HTMLElement>(group.dataset.roving!)) other.tabIndex = other === item ? 0 : -1;
});

applyAllValues();
