import { describe, expect, it } from 'vitest';
import { createLabMarker } from '../../src/site/lab-marker.ts';

// The page marks exactly what the runner loosens: pinned values and constant addresses are
// compared literally, so they are never shown as values the reader's machine will print differently.
describe('values that are the same everywhere are not marked', () => {
  const marked = (line: string, config?: { pin?: string[] }) =>
    createLabMarker(config)(line)
      .filter((s) => 'label' in s && s.label !== undefined)
      .map((s) => s.text);

  it('constant addresses', () => {
    expect(marked('listen 0.0.0.0:80 and 127.0.0.1, brd ff:ff:ff:ff:ff:ff via 10.244.0.7')).toEqual(['10.244.0.7']);
  });

  it('pinned values', () => {
    expect(marked('nameserver 10.96.0.10 search 10.244.0.7', { pin: ['10.96.0.10'] })).toEqual(['10.244.0.7']);
  });
});
