/**
 * The only script lab pages ship for their blocks: copy buttons and volatile-value tooltips.
 * No framework; one delegated listener per event, so it works for any number of blocks.
 */

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
  const text = button.dataset.copy ?? '';
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
