import { describe, expect, it } from 'vitest';
import { createLabMarker } from '../../src/site/lab-marker.ts';
import { markAuthorMarkersOnly } from '../../src/site/mark-volatile.ts';
import { blockAnchor, copyTextOf, describeOptions, formatDuration, renderFile, renderTranscript } from '../../src/site/render-transcript.ts';
import type { StatusView } from '../../src/site/view-model.ts';
import { commandBlock, fence, fileBlock } from './helpers.ts';

const status: StatusView = { kind: 'unverified', label: 'Not yet verified' };
const plain = (block: ReturnType<typeof commandBlock>) =>
  renderTranscript(block, { highlighted: block.commands.map((c) => c.text.split('\n').map((t) => [{ text: t }])), markVolatile: markAuthorMarkersOnly, status });

describe('copyTextOf', () => {
  it('copies only the commands: no prompts, no output', () => {
    const b = commandBlock(fence('console', '', '$ ip netns add red\n$ ip netns list\nred (id: 0)'));
    expect(copyTextOf(b)).toBe('ip netns add red\nip netns list');
  });

  it('keeps continuation lines and here-documents whole', () => {
    const b = commandBlock(fence('console', '', "$ ip link add a type veth \\\n    peer name b\n$ cat > x.txt <<'EOF'\nhello\n$ not a prompt inside\nEOF\n$ cat x.txt\nhello"));
    expect(copyTextOf(b)).toBe("ip link add a type veth \\\n    peer name b\ncat > x.txt <<'EOF'\nhello\n$ not a prompt inside\nEOF\ncat x.txt");
  });

  it('drops the prompt of another session', () => {
    const b = commandBlock(fence('console', 'session=node', 'root@node:/# crictl ps -q\nabc'), { node: { prompt: 'root@node:/# ' } });
    expect(copyTextOf(b)).toBe('crictl ps -q');
  });
});

describe('renderTranscript', () => {
  it('keeps prompts apart and gives continuation lines no prompt', () => {
    const v = plain(commandBlock(fence('console', '', '$ a \\\n  b\nout')));
    expect(v.commands).toHaveLength(1);
    expect(v.commands[0]!.prompt).toBe('$ ');
    expect(v.commands[0]!.lines.map((l) => l.map((t) => t.text).join(''))).toEqual(['a \\', '  b']);
    expect(v.commands[0]!.output).toEqual([{ kind: 'text', tokens: [{ text: 'out' }] }]);
  });

  it('shows ... as an elision', () => {
    const v = plain(commandBlock(fence('console', 'output=contains', '$ seq 100\n1\n...\n100')));
    expect(v.commands[0]!.output.map((o) => o.kind)).toEqual(['text', 'elision', 'text']);
  });

  it('marks author markers as volatile with unique tooltip ids and no brackets', () => {
    const v = plain(commandBlock(fence('console', 'id=rtt', '$ ping -c 1 x\nrtt = [[0.1/0.2]] ms and [[3]]')));
    const tokens = v.commands[0]!.output[0]!.kind === 'text' ? v.commands[0]!.output[0]!.tokens : [];
    expect(tokens.map((t) => t.text).join('')).toBe('rtt = 0.1/0.2 ms and 3');
    const vol = tokens.filter((t) => t.volatile);
    expect(vol.map((t) => t.text)).toEqual(['0.1/0.2', '3']);
    expect(vol[0]!.volatile!.tip).toBe('Example value — yours will differ');
    expect(new Set(vol.map((t) => t.volatile!.tipId)).size).toBe(2);
    expect(vol[0]!.volatile!.tipId.startsWith(v.anchor)).toBe(true);
  });

  it('marks the values the runner treats as volatile, with their class label', () => {
    const b = commandBlock(fence('console', '', '$ kubectl get pod -o wide\nweb-5746f499f-qzjjq   1/1   Running   0   18s   10.244.0.5   kind-control-plane'));
    const v = renderTranscript(b, { highlighted: [], markVolatile: createLabMarker(undefined), status });
    const out = v.commands[0]!.output[0]!;
    const vol = out.kind === 'text' ? out.tokens.filter((t) => t.volatile).map((t) => t.text) : [];
    expect(vol).toContain('10.244.0.5');
    expect(vol).toContain('web-5746f499f-qzjjq');
    expect(vol).toContain('18s');
    expect(vol).not.toContain('kind-control-plane');
  });

  it('leaves pinned values literal', () => {
    const b = commandBlock(fence('console', '', '$ cat /etc/resolv.conf\nnameserver 10.96.0.10'));
    const v = renderTranscript(b, { highlighted: [], markVolatile: createLabMarker({ pin: ['10.96.0.10'] }), status });
    const out = v.commands[0]!.output[0]!;
    expect(out.kind === 'text' && out.tokens.some((t) => t.volatile)).toBe(false);
  });

  it('titles the frame with the session, anchors it by id and says where it comes from', () => {
    const b = commandBlock(fence('console', 'session=node id=my-block', 'root@node:/# ls'), { node: { prompt: 'root@node:/# ' } });
    const v = plain(b);
    expect(v.title).toBe('Terminal · node');
    expect(v.anchor).toBe('block-my-block');
    expect(v.source).toBe('content/labs/demo/01-demo.mdx:1');
    expect(plain(commandBlock(fence('console', '', '$ ls'))).title).toBe('Terminal · your machine');
  });

  it('falls back to plain lines when highlighting does not fit the command', () => {
    const b = commandBlock(fence('console', '', '$ a \\\n  b'));
    const v = renderTranscript(b, { highlighted: [[[{ text: 'wrong' }]]], markVolatile: markAuthorMarkersOnly, status });
    expect(v.commands[0]!.lines).toEqual([[{ text: 'a \\' }], [{ text: '  b' }]]);
  });
});

describe('describeOptions', () => {
  const notes = (meta: string, body = '$ x') => describeOptions(commandBlock(fence('console', meta, body), { client: { prompt: '/ # ' } }));
  it('says nothing for defaults', () => {
    expect(notes('')).toEqual([]);
  });
  it('explains wait, background, exit, output and opens', () => {
    expect(notes('wait=30s').join()).toContain('up to 30 s');
    expect(notes('background').join()).toContain('background');
    expect(notes('exit=1').join()).toContain('exit status 1');
    expect(notes('exit=any').join()).toContain('not checked');
    expect(notes('output=contains').join()).toContain('part of the output');
    expect(notes('output=unordered').join()).toContain('any order');
    expect(notes('opens=client', '$ kubectl run client -it --image=busybox').join()).toContain('client shell');
  });
  it('does not talk about output for background blocks', () => {
    expect(notes('background output=ignore')).toHaveLength(1);
  });
});

describe('renderFile', () => {
  it('titles the file with its path and copies its content', () => {
    const b = fileBlock(fence('yaml', 'file=svc.yaml', 'kind: Service\nmetadata:\n  name: web'));
    const v = renderFile(b, { highlighted: [], status });
    expect(v.path).toBe('svc.yaml');
    expect(v.copyText).toBe('kind: Service\nmetadata:\n  name: web');
    expect(v.lines).toHaveLength(3);
    expect(v.notes).toEqual([]);
  });
});

describe('helpers', () => {
  it('formats durations', () => {
    expect([500, 30_000, 300_000, 90_000].map(formatDuration)).toEqual(['500 ms', '30 s', '5 min', '1 min 30 s']);
  });
  it('makes anchors safe for ids', () => {
    expect(blockAnchor('a.b c')).toBe('block-a-b-c');
  });
});
