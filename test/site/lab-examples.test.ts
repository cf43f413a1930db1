import { describe, expect, it } from 'vitest';
import { collectExamples, splitCommandLine, unchangedExamples } from '../../src/site/lab-examples.ts';
import { createLabContext } from '../../src/site/lab-marker.ts';
import { extractBlocks } from '../../src/parse/extract-blocks.ts';
import { blocksOf, fence } from './helpers.ts';

const ctx = createLabContext(undefined);

const step1 = blocksOf(
  [
    fence('console', '', '$ kubectl get pod -o wide\nNAME                      READY   AGE   IP\nwebsite-5746f499f-qzjjq   1/1     18s   10.244.0.7'),
    fence('console', '', '$ kubectl delete pod website-5746f499f-qzjjq\npod "website-5746f499f-qzjjq" deleted'),
    fence('console', '', '$ ip addr add 10.0.0.1/24 dev eth0\n$ ip -4 addr show eth0\n    inet 10.0.0.1/24 scope global eth0'),
    fence('console', '', '$ ping -c 1 10.0.0.1'),
    fence('console', 'skip="needs a second machine"', '$ kubectl get svc\nweb   10.96.1.2'),
    fence('console', '', '$ curl 10.96.1.2'),
  ].join('\n'),
);
const step2 = extractBlocks(fence('console', '', '$ ping 10.244.0.7.\n$ kubectl get rs website-5746f499f'), { file: 'content/labs/demo/02-again.mdx', slug: '02-again', sessions: {} }).blocks;
const examples = collectExamples(
  [
    { title: 'Pods', blocks: step1 },
    { title: 'Again', blocks: step2 },
  ],
  ctx,
);
const idOf = (blocks: typeof step1, i: number) => blocks[i]!.id;

describe('collectExamples', () => {
  it('knows a value once an earlier command printed it, and where', () => {
    expect(examples.boundBefore(idOf(step1, 1), 0, 'website-5746f499f-qzjjq')).toMatchObject({ label: 'generated name', command: 'kubectl get pod -o wide', step: 1 });
    expect(examples.boundBefore(idOf(step1, 0), 0, 'website-5746f499f-qzjjq')).toBeUndefined();
    expect(examples.boundBefore(idOf(step2, 0), 0, '10.244.0.7')).toMatchObject({ step: 1, stepTitle: 'Pods' });
  });

  it('leaves out values the reader typed before any output printed them', () => {
    expect(examples.boundBefore(idOf(step1, 3), 0, '10.0.0.1')).toBeUndefined();
  });

  it('leaves out ages, which never bind, and values printed only by skipped blocks', () => {
    expect(examples.boundBefore(idOf(step1, 1), 0, '18s')).toBeUndefined();
    expect(examples.boundBefore(idOf(step1, 5), 0, '10.96.1.2')).toBeUndefined();
  });
});

describe('splitCommandLine', () => {
  const originOf = (step: number, blocks: typeof step1, cmd: number) => (e: string) => examples.boundBefore(idOf(blocks, step), cmd, e);
  it('marks a whole bound value and keeps the rest literal', () => {
    const segs = splitCommandLine('kubectl delete pod website-5746f499f-qzjjq', ctx, originOf(1, step1, 0));
    expect(segs.map((s) => [s.text, Boolean(s.origin)])).toEqual([
      ['kubectl delete pod ', false],
      ['website-5746f499f-qzjjq', true],
    ]);
  });

  it('marks a bound part (a ReplicaSet hash) and leaves a full stop outside', () => {
    expect(splitCommandLine('ping 10.244.0.7.', ctx, originOf(0, step2, 0)).map((s) => s.text)).toEqual(['ping ', '10.244.0.7', '.']);
    const rs = splitCommandLine('kubectl get rs website-5746f499f', ctx, originOf(0, step2, 1));
    expect(rs.filter((s) => s.origin).map((s) => s.text)).toEqual(['5746f499f']);
  });

  it('marks nothing in a line without bound values; the text is the line', () => {
    const segs = splitCommandLine('curl 10.96.1.2 -H "x: y"', ctx, originOf(5, step1, 0));
    expect(segs).toEqual([{ text: 'curl 10.96.1.2 -H "x: y"' }]);
  });
});

describe('unchangedExamples', () => {
  it('keeps values a run bound only to themselves', () => {
    const s = unchangedExamples([{ bindings: { '10.0.0.1': '10.0.0.1', 'aa:bb:cc:dd:ee:ff': '11:22:33:44:55:66' } }, { bindings: { '10.0.0.2': '10.0.0.2' } }, { bindings: { '10.0.0.2': '10.0.0.9' } }]);
    expect([...s]).toEqual(['10.0.0.1']);
  });

  it('stops marking them in commands', () => {
    const quiet = collectExamples([{ title: 'Pods', blocks: step1 }], ctx, new Set(['website-5746f499f-qzjjq']));
    expect(quiet.boundBefore(idOf(step1, 1), 0, 'website-5746f499f-qzjjq')).toBeUndefined();
  });
});

describe('lab.yaml bindings', () => {
  it('are known from the first command, with the command that computes them', () => {
    const withSetup = collectExamples([{ title: 'Pods', blocks: step1 }], ctx, new Set(), { '172.18.0.2': 'docker inspect kind-control-plane' });
    expect(withSetup.boundBefore(idOf(step1, 0), 0, '172.18.0.2')).toMatchObject({ step: 0, command: 'docker inspect kind-control-plane' });
  });
});
