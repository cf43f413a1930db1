import { describe, expect, it } from 'vitest';
import { parseLabConfig } from '../../src/parse/lab-config.ts';

const FILE = 'content/labs/k8s/lab.yaml';
const at = (r: ReturnType<typeof parseLabConfig>) => r.problems.map((p) => `${p.location.line}:${p.location.column} ${p.message}`);

describe('parseLabConfig', () => {
  it('accepts the contract example', () => {
    const text = [
      'title: Kubernetes Networking 101',
      'target: kind',
      'kind:',
      '  config: kind.yaml',
      '  images: [httpd:2.4.65, busybox:1.37.0]',
      'tools: { kind: v0.33.0, kubectl: v1.37.0, cilium-cli: v0.19.7 }',
      'sessions:',
      '  host:   { prompt: "$ " }',
      '  node:   { prompt: "root@kind-control-plane:/# ", command: "docker exec -i kind-control-plane bash" }',
      '  client: { prompt: "/ # " }',
      'bindings:',
      `  18.185.35.194: "docker inspect -f '{{.NetworkSettings.Networks.kind.IPAddress}}' kind-control-plane"`,
      'pin: ["10.96.0.10"]',
      'volatile:',
      '  - { name: sep-chain, pattern: "KUBE-SEP-[A-Z2-7]{16}" }',
      'setup: ["kubectl create ns lab"]',
      'teardown: ["kubectl delete ns lab"]',
    ].join('\n');
    const r = parseLabConfig(text, FILE);
    expect(r.problems).toEqual([]);
    expect(r.config?.sessions?.node?.command).toBe('docker exec -i kind-control-plane bash');
    expect(r.config?.bindings?.['18.185.35.194']).toContain('docker inspect');
    expect(r.locate(['sessions', 'client', 'prompt'])).toEqual({ file: FILE, line: 10, column: 21 });
  });

  it('reports an unknown key at the key, with a did-you-mean among that level’s keys', () => {
    const r = parseLabConfig('title: t\ntarget: local\nsessions:\n  web: { prompt: "$ ", comand: bash }\nsetpu: []\n', FILE);
    expect(at(r)).toEqual(['4:24 unknown key "comand" in sessions.web', '5:1 unknown key "setpu" in lab.yaml']);
    expect(r.problems.map((p) => p.hint)).toEqual([expect.stringContaining('"command"'), expect.stringContaining('"setup"')]);
    expect(r.config).toBeUndefined();
  });

  it('reports a wrong type at the value, with a quoting hint for numbers', () => {
    const r = parseLabConfig('title: t\ntarget: local\ntools:\n  kubectl: 1.30\nshardSteps: "yes"\n', FILE);
    expect(at(r)).toEqual(['4:12 tools.kubectl must be a string, not the number 1.3', '5:13 shardSteps must be true or false, not the string "yes"']);
    expect(r.problems[0]!.hint).toBe('quote it: "1.30"');
  });

  it('reports a bad enum value with a suggestion', () => {
    const r = parseLabConfig('title: t\ntarget: lokal\n', FILE);
    expect(at(r)).toEqual(['2:9 target must be one of kind, local, not "lokal"']);
    expect(r.problems[0]!.hint).toBe('did you mean "local"?');
  });

  it('reports missing required keys', () => {
    const r = parseLabConfig('description: no title or target\n', FILE);
    expect(r.problems.map((p) => p.message).sort()).toEqual(['missing key "target" in lab.yaml', 'missing key "title" in lab.yaml']);
    expect(r.problems.every((p) => p.location.line === 1 && p.location.column === 1)).toBe(true);
  });

  it('reports a bad regex and a regex matching the empty string at the pattern', () => {
    const r = parseLabConfig('title: t\ntarget: local\nvolatile:\n  - name: a\n    pattern: "(ab"\n  - name: b\n    pattern: "[0-9]*"\n', FILE);
    expect(r.problems.map((p) => `${p.location.line}:${p.location.column}`)).toEqual(['5:14', '7:14']);
    expect(r.problems[0]!.message).toMatch(/^bad regex in volatile\[0\]\.pattern: .*(?:group|\()/i);
    expect(r.problems[1]!.message).toBe('volatile[1].pattern matches the empty string');
  });

  it('checks the kind section against the target', () => {
    expect(at(parseLabConfig('title: t\ntarget: kind\n', FILE))).toEqual(['2:9 target kind needs a kind: section']);
    expect(at(parseLabConfig('title: t\ntarget: local\nkind: { config: k.yaml }\n', FILE))).toEqual(['3:1 kind: is only for target kind']);
    expect(at(parseLabConfig('title: t\ntarget: kind\nkind: { config: k.yaml }\nrequires: [ip]\n', FILE))).toEqual(['4:1 requires: is only for target local']);
  });

  it('reports a bad session name at the key', () => {
    const r = parseLabConfig('title: t\ntarget: local\nsessions:\n  "my shell": { prompt: "$ " }\n', FILE);
    expect(at(r)).toEqual(['4:3 bad key "my shell" in sessions']);
    expect(r.problems[0]!.hint).toContain('session names');
  });

  it('reports YAML syntax errors located, and nothing else', () => {
    const r = parseLabConfig('title: t\ntarget: local\nsessions:\n  a: { prompt: "$ "\n  b: x\n', FILE);
    expect(r.problems.length).toBeGreaterThan(0);
    expect(r.problems.every((p) => p.message.startsWith('YAML syntax error') && p.location.line >= 4)).toBe(true);
  });

  it('reports duplicate keys', () => {
    const r = parseLabConfig('title: t\ntarget: local\ntitle: again\n', FILE);
    expect(at(r)).toEqual([expect.stringMatching(/^3:1 YAML syntax error/)]);
    expect(r.problems[0]!.hint).toBe('each key may appear once in a mapping');
  });

  it.each([
    ['', 'lab.yaml is empty'],
    ['- a\n- b\n', 'lab.yaml must be a mapping of keys'],
    ['just text', 'lab.yaml must be a mapping of keys'],
  ])('reports a lab.yaml that is not a mapping: %j', (text, message) => {
    expect(parseLabConfig(text, FILE).problems.map((p) => p.message)).toEqual([message]);
  });

  it('reports every problem of a file at once, in source order', () => {
    const r = parseLabConfig('title: 3\ntarget: kidn\ntiemout: 5\npin: x\nvolatile:\n  - { name: X, pattern: "(" }\n', FILE);
    expect(r.problems.map((p) => p.location.line)).toEqual([1, 2, 3, 4, 6, 6]);
  });
});

describe('session working directories stay in the work folder', () => {
  it('refuses an absolute cwd and one that climbs out with ..', () => {
    const r = parseLabConfig('title: t\ntarget: local\nsessions:\n  a: { prompt: "$ ", cwd: /etc }\n  b: { prompt: "$ ", cwd: sub/../../out }\n  c: { prompt: "$ ", cwd: sub/dir }\n', FILE);
    expect(at(r)).toEqual(['4:27 sessions.a.cwd "/etc" is an absolute path', '5:27 sessions.b.cwd "sub/../../out" leaves the lab\'s work folder']);
  });
});
