import { describe, expect, it } from 'vitest';
import { checkAppended, composeRecording, type ComposeOptions } from '../../src/record-shell/compose-blocks.ts';
import { extractBlocks } from '../../src/parse/extract-blocks.ts';
import type { RecordedCommand } from '../../src/record-shell/shell-hooks.ts';

const PAGE = '---\ntitle: One\n---\n\nProse.\n\n```console\n$ echo old\nold\n```\n';
const HOST: ComposeOptions = { file: '01-one.mdx', slug: 'one', sessions: {}, session: 'host', prompt: '$ ', isDefaultSession: true };
const rec = (command: string, output: string, exitCode = 0, cut = false): RecordedCommand => ({ command, output, exitCode, cut });

describe('composeRecording', () => {
  it('appends one block per command after the page, byte for byte, with cleaned output', () => {
    const r = composeRecording(PAGE, [rec('echo hi', 'hi\r\n'), rec('printf "\\033[1mbold\\033[0m 50%\\r100%\\n"', '\x1b[1mbold\x1b[0m 50%\r100%   \r\n')], HOST);
    expect(r.problem).toBeUndefined();
    expect(r.written).toBe(2);
    expect(r.source).toBe(PAGE + '\n```console\n$ echo hi\nhi\n```\n\n```console\n$ printf "\\033[1mbold\\033[0m 50%\\r100%\\n"\n100%\n```\n');
    const blocks = extractBlocks(r.source, HOST).blocks;
    expect(blocks).toHaveLength(3);
  });

  it('writes exit=N for a failing command and session= outside the default session', () => {
    const ns: ComposeOptions = { ...HOST, sessions: { a: { prompt: 'a# ', command: 'ip netns exec a bash' } }, session: 'a', prompt: 'a# ', isDefaultSession: false };
    const r = composeRecording('', [rec('ls /nope', 'ls: cannot access\r\n', 2)], ns);
    expect(r.source).toBe('\n```console session=a exit=2\na# ls /nope\nls: cannot access\n```\n');
    expect(r.problem).toBeUndefined();
  });

  it('keeps a here-document with its command and a page without a final newline', () => {
    const r = composeRecording('# Title', [rec('cat <<EOF\nx y\nEOF', 'x y\r\n')], HOST);
    expect(r.source).toBe('# Title\n\n```console\n$ cat <<EOF\nx y\nEOF\nx y\n```\n');
    expect(r.problem).toBeUndefined();
  });

  it('uses a longer fence when the output has one', () => {
    const r = composeRecording(PAGE, [rec("printf '```\\n'", '```\r\n')], HOST);
    expect(r.source.endsWith("\n````console\n$ printf '```\\n'\n```\n````\n")).toBe(true);
    expect(r.problem).toBeUndefined();
  });

  it('follows the page’s CRLF line endings', () => {
    const crlf = PAGE.replaceAll('\n', '\r\n');
    const r = composeRecording(crlf, [rec('echo hi', 'hi\r\n')], HOST);
    expect(r.source).toBe(crlf + '\r\n```console\r\n$ echo hi\r\nhi\r\n```\r\n');
  });

  it('leaves out interrupted, cut and page-syntax commands and says why', () => {
    const r = composeRecording(PAGE, [rec('sleep 9', '^C\r\n', 130), rec('yes', 'y\n', 0, true), rec("printf '$ x\\n'", '$ x\r\n'), rec('seq 3 | sed 2s/.*/.../', '1\r\n...\r\n3\r\n'), rec('true', '')], HOST);
    expect(r.written).toBe(1);
    expect(r.source).toBe(PAGE + '\n```console\n$ true\n```\n');
    expect(r.notes.join('\n')).toMatch(/`sleep 9` was interrupted/);
    expect(r.notes.join('\n')).toMatch(/`yes` printed more than the recorder keeps/);
    expect(r.notes.join('\n')).toMatch(/"\$ x", which a page would read as a command/);
    expect(r.notes.join('\n')).toMatch(/"\.\.\.", which a page would read as an elision/);
  });

  it('redacts secrets in commands and outputs and says so', () => {
    const token = 'ghp_' + 'a1B2c3D4e5F6g7H8i9J0k1L2m3N4';
    const r = composeRecording('', [rec(`echo ${token}`, `${token}\r\n`)], HOST);
    expect(r.source).not.toContain(token);
    expect(r.source).toContain('$ echo [REDACTED]\n[REDACTED]\n');
    expect(r.notes).toHaveLength(2);
  });

  it('notes an output that shows the work folder', () => {
    const r = composeRecording('', [rec('pwd', '/tmp/labs-x-AbC\r\n')], { ...HOST, workDir: '/tmp/labs-x-AbC' });
    expect(r.notes.join('\n')).toMatch(/printed the work folder \/tmp\/labs-x-AbC/);
  });

  it('writes nothing when nothing was recorded', () => {
    expect(composeRecording(PAGE, [], HOST)).toEqual({ source: PAGE, written: 0, notes: [] });
  });
});

describe('checkAppended', () => {
  it('refuses a page that lost or changed what it had', () => {
    const want = [{ command: 'echo hi', lines: ['hi'] }];
    const good = PAGE + '\n```console\n$ echo hi\nhi\n```\n';
    expect(checkAppended(PAGE, good, 1, HOST, want)).toBeUndefined();
    expect(checkAppended(PAGE, good.replace('old\n```', 'OLD\n```'), 1, HOST, want)).toMatch(/would not keep what it had/);
    // An appended text that opens an unclosed fence swallows nothing old, but does not read back.
    expect(checkAppended(PAGE, PAGE + '\n```console\n$ echo hi\nhi\n', 1, HOST, want)).toBeDefined();
    expect(checkAppended(PAGE, PAGE + '\n```console\n$ echo hi\n$ echo ho\n```\n', 1, HOST, want)).toMatch(/one command/);
    expect(checkAppended(PAGE, PAGE + '\n```console\n$ echo hi\nho\n```\n', 1, HOST, want)).toMatch(/would not read back as recorded/);
  });
});
