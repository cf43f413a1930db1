import { describe, expect, it } from 'vitest';
import { keysFor, readKey } from '../../src/slides/keymap.ts';

const act = (key: string, extra: object = {}, digits = '') => readKey({ key, ...extra }, digits);

describe('readKey', () => {
  it('maps the navigation keys', () => {
    expect(['ArrowRight', ' ', 'PageDown'].map((k) => act(k).action?.type)).toEqual(['next', 'next', 'next']);
    expect(['ArrowLeft', 'PageUp'].map((k) => act(k).action?.type)).toEqual(['previous', 'previous']);
    expect(act(' ', { shiftKey: true }).action?.type).toBe('previous');
    expect([act('Home'), act('End'), act('ArrowDown'), act('ArrowUp')].map((r) => r.action?.type)).toEqual(['first', 'last', 'next-slide', 'previous-slide']);
    expect([act('b'), act('.'), act('o'), act('p')].map((r) => r.action?.type)).toEqual(['blackout', 'blackout', 'overview', 'presenter']);
  });
  it('collects digits and jumps on Enter', () => {
    let digits = '';
    for (const k of ['1', '2']) digits = act(k, {}, digits).digits;
    expect(digits).toBe('12');
    expect(act('Backspace', {}, '12').digits).toBe('1');
    expect(act('Enter', {}, digits)).toEqual({ action: { type: 'goto', slide: 12 }, digits: '', handled: true });
    expect(act('Enter', {}, '0').action).toBeUndefined();
    expect(act('x', {}, '12')).toEqual({ digits: '', handled: false });
  });
  it('maps help, laser and the presenter’s notes keys; lists each view’s keys', () => {
    expect(['?', 'l', '+', '=', '-', 'j', 'k'].map((k) => act(k).action)).toEqual([
      { type: 'help' },
      { type: 'laser' },
      { type: 'notes-size', by: 1 },
      { type: 'notes-size', by: 1 },
      { type: 'notes-size', by: -1 },
      { type: 'notes-scroll', by: 1 },
      { type: 'notes-scroll', by: -1 },
    ]);
    // Not a key: inherited object properties never map to an action.
    expect(act('constructor').handled).toBe(false);
    const audience = keysFor('audience').map(([k]) => k);
    const presenter = keysFor('presenter').map(([k]) => k);
    expect(audience).toContain('P');
    expect(audience).not.toContain('J K');
    expect(presenter).toContain('J K');
    expect(presenter).not.toContain('P');
  });
  it('leaves modified keys and Enter without digits to the browser', () => {
    expect(act('p', { ctrlKey: true }).handled).toBe(false);
    expect(act('ArrowRight', { altKey: true }).handled).toBe(false);
    expect(act('Enter').handled).toBe(false);
  });
});
