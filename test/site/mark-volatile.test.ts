import { describe, expect, it } from 'vitest';
import { createVolatileMarker, markAuthorMarkersOnly, MARKED_LABEL, type LineToken } from '../../src/site/mark-volatile.ts';

describe('createVolatileMarker', () => {
  const labels = new Map([['ipv4', 'IP address']]);

  it('keeps the text between tokens and labels volatile ones', () => {
    const tokenize = (line: string): LineToken[] => {
      const at = line.indexOf('10.0.0.1');
      return at < 0 ? [] : [{ text: '10.0.0.1', start: at, end: at + 8, cls: 'ipv4' }];
    };
    expect(createVolatileMarker(tokenize, labels)('via 10.0.0.1 dev eth0')).toEqual([{ text: 'via ' }, { text: '10.0.0.1', label: 'IP address' }, { text: ' dev eth0' }]);
  });

  it('strips marker brackets using the token span', () => {
    const tokenize = (): LineToken[] => [{ text: 'x', start: 2, end: 7, cls: 'marked', marked: true }];
    expect(createVolatileMarker(tokenize, labels)('a [[x]] b')).toEqual([{ text: 'a ' }, { text: 'x', label: MARKED_LABEL }, { text: ' b' }]);
  });

  it('merges literal tokens and humanises unlabelled classes', () => {
    const tokenize = (): LineToken[] => [
      { text: 'ab', start: 0, end: 2 },
      { text: 'cd', start: 2, end: 4 },
      { text: 'KUBE', start: 5, end: 9, cls: 'sep-chain' },
    ];
    expect(createVolatileMarker(tokenize, labels)('abcd KUBE')).toEqual([{ text: 'abcd ' }, { text: 'KUBE', label: 'sep chain' }]);
  });
});

describe('markAuthorMarkersOnly', () => {
  it('finds markers and nothing else', () => {
    expect(markAuthorMarkersOnly('10.0.0.1 [[x y]] z')).toEqual([{ text: '10.0.0.1 ' }, { text: 'x y', label: MARKED_LABEL }, { text: ' z' }]);
  });
});
