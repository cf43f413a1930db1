import { describe, expect, it } from 'vitest';
import { checkOutput, splitPasted } from '../../src/site/check-output.ts';
import { checkDataOf } from '../../src/site/render-transcript.ts';
import type { CheckData } from '../../src/site/view-model.ts';
import { commandBlock, fence } from './helpers.ts';

const pods = checkDataOf(
  commandBlock(fence('console', '', '$ kubectl get pod -o wide\nNAME                      READY   STATUS    AGE   IP\nwebsite-5746f499f-qzjjq   1/1     Running   18s   10.244.0.7')),
  undefined,
)!;
const mine = 'NAME                      READY   STATUS    AGE   IP\nwebsite-7d4b9c8f6-x2k9p   1/1     Running   3m    10.244.1.23';

describe('checkOutput', () => {
  it('matches a learner output with other values and binds them, the hash part too', () => {
    const r = checkOutput(pods, mine, {});
    expect(r.ok).toBe(true);
    expect(r.made).toMatchObject({ 'website-5746f499f-qzjjq': 'website-7d4b9c8f6-x2k9p', '5746f499f': '7d4b9c8f6', '10.244.0.7': '10.244.1.23' });
    expect(r.made['18s']).toBeUndefined();
  });

  it('fails a drifted output with the runner’s line diff and binds nothing', () => {
    const r = checkOutput(pods, mine.replace('Running', 'Pending'), {});
    expect(r.ok).toBe(false);
    expect(r.made).toEqual({});
    const ops = r.commands[0]!.diff.map((d) => d.op);
    expect(ops).toContain('-');
    expect(ops).toContain('+');
  });

  it('fails a value that disagrees with one the learner bound earlier', () => {
    const r = checkOutput(pods, mine, { '10.244.0.7': '10.244.9.9' });
    expect(r.ok).toBe(false);
    expect(r.made).toEqual({});
  });

  it('does not treat a different pod stem as a pod name of the page', () => {
    expect(checkOutput(pods, mine.replace('website-', 'webshop-'), {}).ok).toBe(false);
  });

  it('accepts the command line with the learner’s own prompt before the output', () => {
    expect(checkOutput(pods, `me@laptop:~$ kubectl get pod -o wide\n${mine}`, {}).ok).toBe(true);
  });

  it('asks for something to paste when the paste is empty', () => {
    expect(checkOutput(pods, '   ', {}).problem).toMatch(/Paste/);
  });
});

describe('splitPasted', () => {
  const two: CheckData = checkDataOf(commandBlock(fence('console', '', '$ echo a\na\n$ echo b\nb')), undefined)!;
  const same = (c: string) => c;

  it('splits a session with prompts into each command’s output', () => {
    expect(splitPasted('$ echo a\na\n$ echo b\nb', two, same)).toEqual([['a'], ['b']]);
  });

  it('recognises a command with the learner’s values in it', () => {
    expect(splitPasted('$ echo A\na\n$ echo b\nb', two, (c) => c.replace('echo a', 'echo A'))).toEqual([['a'], ['b']]);
  });

  it('says what to paste when several commands print and no prompt is found', () => {
    expect(splitPasted('a\nb', two, same)).toEqual({ problem: expect.stringMatching(/prompts and commands included/) });
  });

  it('does not take a line that merely ends like a command for the command', () => {
    expect(splitPasted('say echo a\n$ echo b\nb', two, same)).toEqual([undefined, ['b']]);
  });
});
