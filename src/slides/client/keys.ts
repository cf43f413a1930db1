/** Keyboard input for the deck views: the pure keymap plus the "typed digits" indicator. */
import { readKey, type KeyAction } from '../keymap.ts';

/** Listens for deck keys on the document; `act` gets each action. Typing in a form field is left alone. */
export function listenForKeys(act: (action: KeyAction) => void, shouldIgnore: () => boolean = () => false): void {
  let digits = '';
  const indicator = document.querySelector<HTMLElement>('[data-deck-jump]');
  document.addEventListener('keydown', (event) => {
    const target = event.target as HTMLElement | null;
    if (event.defaultPrevented || shouldIgnore() || target?.closest('input, textarea, select, [contenteditable]')) return;
    // A focused button or link keeps Enter and Space, unless a slide number is being typed.
    if ((event.key === 'Enter' || event.key === ' ') && !digits && target?.closest('button, a, summary')) return;
    const result = readKey(event, digits);
    digits = result.digits;
    if (indicator) {
      indicator.hidden = !digits;
      indicator.textContent = digits ? `Go to slide ${digits} — Enter` : '';
    }
    if (!result.handled) return;
    event.preventDefault();
    if (result.action) act(result.action);
  });
}
