import { describe, expect, it } from 'vitest';
import { findSecrets, redactSecrets, Redactor, REDACTED } from '../../src/redact/redact.ts';
import { redactRun } from '../../src/redact/redact-run.ts';
import type { BlockResult } from '../../src/model/result.ts';
import type { LabRunResult } from '../../src/report/types.ts';
import { PLANTED } from './planted.ts';

describe('redactSecrets', () => {
  for (const p of PLANTED) {
    it(`hides a ${p.kind} and keeps its context`, () => {
      const out = redactSecrets(p.line);
      expect(out).not.toContain(p.value);
      expect(out).toContain(REDACTED);
      // the context (key name, scheme, header) stays readable
      const context = p.line.slice(0, p.line.indexOf(p.value)).trim().split(/\s+/)[0];
      if (context) expect(out).toContain(context);
    });
  }

  it('hides every kind when they come together, and is idempotent', () => {
    const all = PLANTED.map((p) => p.line).join('\n');
    const once = redactSecrets(all);
    for (const p of PLANTED) expect(once).not.toContain(p.value);
    expect(redactSecrets(once)).toBe(once);
  });

  it('leaves ordinary lab output alone', () => {
    const ordinary = [
      'NAME                     READY   STATUS    RESTARTS   AGE   IP           NODE',
      'web-6c5b4d9f7-x2k4m      1/1     Running   0          12s   10.244.1.7   kind-worker',
      'sha1 3f786850e387550fdab836ed7e6dc881de23001b', // 40 hex: a hash, not an AWS secret
      'image: docker.io/library/nginx@sha256:0d17b565c37bcbd895e9d92315a05c1c3c9a29f762b011a10c54a66cd53c9b31',
      'serviceaccount/default created',
      '2: eth0@if3: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500',
      'secrets: 0',
    ].join('\n');
    expect(redactSecrets(ordinary)).toBe(ordinary);
  });

  it('says where a secret is and of what kind', () => {
    const found = findSecrets('x=1 ghp_PlantedGithubToken0123456789abcdefgh y');
    expect(found).toEqual([{ kind: 'github-token', index: 4, value: 'ghp_PlantedGithubToken0123456789abcdefgh' }]);
  });
});

describe('Redactor', () => {
  it('hides a learned value wherever it appears, also where no rule knows it', () => {
    const r = new Redactor();
    r.learnFrom('api_token=tok-x1y2z3w4v5u6');
    expect(r.redact('curl -H "X-Auth: tok-x1y2z3w4v5u6" http://svc')).toBe(`curl -H "X-Auth: ${REDACTED}" http://svc`);
  });

  it('does not learn values so short they would blank out words', () => {
    const r = new Redactor();
    expect(r.learn('abc')).toBe(false);
    expect(r.redact('abc')).toBe('abc');
  });
});

describe('redactRun', () => {
  const result = (over: Partial<BlockResult>): BlockResult => ({
    id: 'b', file: 'lab/01.mdx', line: 3, hash: 'h', status: 'fail', attempts: 1, durationMs: 1, commands: [], bindings: {}, at: '2026-01-01T00:00:00Z', ...over,
  });
  const run = (results: BlockResult[], labErrors: string[] = []): LabRunResult =>
    ({ lab: { id: 'lab' } as LabRunResult['lab'], results, environment: { target: 'local', versions: {}, os: 'Linux', node: 'v24' }, startedAt: '', finishedAt: '', interrupted: false, labErrors });

  it('hides a bound secret in bindings, binding notes, later commands and earlier blocks alike', () => {
    const token = 'tok-plantedvalue1';
    const early = result({ id: 'early', commands: [{ command: 'echo', ran: `echo ${token}`, exitCode: 0, output: token, durationMs: 1, timedOut: false, ok: true }] });
    const binder = result({
      id: 'binder',
      status: 'pass',
      commands: [{ command: 'get', ran: 'get', exitCode: 0, output: `api_token=${token}`, durationMs: 1, timedOut: false, ok: true }],
      bindings: { 'tok-aaaaaaaaaaaa': token },
    });
    const later = result({
      id: 'later',
      reason: `output of \`echo ${token}\` drifted`,
      commands: [{ command: 'echo tok-aaaaaaaaaaaa', ran: `echo ${token}`, exitCode: 0, output: token, durationMs: 1, timedOut: false, ok: false, diff: [{ op: '~', text: token, notes: [`tok-aaaaaaaaaaaa → ${token} (labtoken, bound)`] }] }],
      bindings: { 'tok-aaaaaaaaaaaa': token },
    });
    const out = redactRun(run([early, binder, later], [`setup said ${token}`]));
    const text = JSON.stringify(out.results) + out.labErrors.join();
    expect(text).not.toContain(token);
    expect(out.results[1]!.bindings['tok-aaaaaaaaaaaa']).toBe(REDACTED);
    // the example value, written in the public page, stays as a key
    expect(Object.keys(out.results[2]!.bindings)).toEqual(['tok-aaaaaaaaaaaa']);
  });

  it('keeps ordinary bindings readable', () => {
    const out = redactRun(run([result({ bindings: { '10.0.0.1': '10.244.0.7' } })]));
    expect(out.results[0]!.bindings).toEqual({ '10.0.0.1': '10.244.0.7' });
  });
});

describe('redacting serialised text', () => {
  it('keeps JSON valid when a private key sits in a string', () => {
    const json = JSON.stringify({ output: PLANTED.map((p) => p.line).join('\n') });
    const out = redactSecrets(json);
    expect(() => JSON.parse(out)).not.toThrow();
    for (const p of PLANTED) expect(out).not.toContain(p.value);
    expect(redactSecrets(JSON.stringify(JSON.parse(out)))).toBe(out);
  });
});
