/**
 * The overview grid (O): every slide as a button, built on first open from copies of the
 * slides, in a modal dialog (Esc closes it, focus returns). Arrow keys move between slides.
 */
import { cloneSlide, type DeckDom } from './deck-view.ts';
import { describeSlide } from '../navigate.ts';

/** Opens or closes the overview; `go` is called with the chosen slide's index. */
export function createOverview(dialog: HTMLDialogElement, dom: DeckDom, go: (slide: number) => void): { toggle: (current: number) => void; isOpen: () => boolean } {
  const grid = dialog.querySelector<HTMLElement>('[data-overview-grid]')!;
  let built = false;
  const buttons: HTMLButtonElement[] = [];

  const build = () => {
    const items = dom.slides.map((slide, i) => {
      const li = document.createElement('li');
      const button = document.createElement('button');
      button.type = 'button';
      button.className = 'deck-overview__item';
      button.setAttribute('aria-label', describeSlide(i, dom.slides.length, dom.titles[i] ?? ''));
      const copy = cloneSlide(slide);
      copy.classList.add('is-current');
      button.append(copy);
      button.addEventListener('click', () => {
        dialog.close();
        go(i);
      });
      const label = document.createElement('span');
      label.className = 'deck-overview__label';
      label.setAttribute('aria-hidden', 'true');
      label.textContent = `${i + 1}. ${dom.titles[i] ?? ''}`;
      li.append(button, label);
      buttons.push(button);
      return li;
    });
    grid.append(...items);
    built = true;
  };

  const columns = () => buttons.filter((b) => b.offsetTop === buttons[0]?.offsetTop).length || 1;

  dialog.addEventListener('keydown', (event) => {
    const at = buttons.indexOf(document.activeElement as HTMLButtonElement);
    if (at < 0) return;
    const moves: Record<string, number> = { ArrowRight: 1, ArrowLeft: -1, ArrowDown: columns(), ArrowUp: -columns() };
    const move = moves[event.key];
    if (move === undefined) {
      if (event.key === 'o' || event.key === 'O') dialog.close();
      return;
    }
    event.preventDefault();
    const next = buttons[Math.min(buttons.length - 1, Math.max(0, at + move))];
    next?.focus();
  });

  return {
    isOpen: () => dialog.open,
    toggle(current) {
      if (dialog.open) {
        dialog.close();
        return;
      }
      if (!built) build();
      dialog.showModal();
      const width = buttons[0]?.clientWidth ?? 288;
      grid.style.setProperty('--thumb-scale', String(width / (dom.slides[0]?.offsetWidth || 1920)));
      buttons.forEach((b, i) => b.setAttribute('aria-current', String(i === current)));
      buttons[current]?.focus();
      buttons[current]?.scrollIntoView({ block: 'nearest' });
    },
  };
}
