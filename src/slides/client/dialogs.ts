/** The key help overlay (`?`) and full screen, shared by the audience and presenter views. */

/** Opens or closes the `[data-key-help]` dialog under `root`; returns whether it is open now. */
export function toggleHelp(root: HTMLElement): boolean {
  const dialog = root.querySelector<HTMLDialogElement>('[data-key-help]');
  if (!dialog) return false;
  if (dialog.open) dialog.close();
  else dialog.showModal();
  return dialog.open;
}

/** True while a modal dialog of the page (help, overview) has the keyboard. */
export function dialogOpen(root: HTMLElement): boolean {
  return root.querySelector('dialog[open]') !== null;
}

/** Full screen on or off (a refusal, e.g. without a user gesture, is not an error worth showing). */
export function toggleFullscreen(): void {
  void (document.fullscreenElement ? document.exitFullscreen() : document.documentElement.requestFullscreen()).catch(() => {});
}

/** `?` inside the open help closes it again (the deck's own keys are off while a dialog is open). */
export function setUpHelp(root: HTMLElement): void {
  const dialog = root.querySelector<HTMLDialogElement>('[data-key-help]');
  dialog?.addEventListener('keydown', (event) => {
    if (event.key === '?') dialog.close();
  });
}
