import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { environmentSaveFor, inheritsShellState } from '../../src/run/env-save.ts';

describe('environmentSaveFor', () => {
  it.each([
    'echo line 1',
    'true',
    'ls -la; echo "$HOME"',
    'echo $X | grep "a"',
    "printf 'pod %s at 10.%s.%s:%s\\n' 3 1 $((3 / 200)) $((8000 + 3))",
    'kubectl get pods --all-namespaces',
    'ip netns exec ns1 ping -c 1 10.0.0.2',
    'kubectl set image deploy/web nginx',
    'command -v kubectl >/dev/null',
    'echo $(ls) $x',
    'ls . -l',
    'curl -s http://$IP:8080 | jq .a',
    'if true; then echo y; fi',
    'echo ${HOME} ${#PATH}',
    '[ -d /tmp ] && echo yes',
    '[[ -n "$HOME" ]] && echo yes',
  ])('skips the save after a command that changes nothing: %s', (command) => {
    expect(environmentSaveFor(command)).toBe('skip');
  });

  it.each([
    ['an assignment', 'X=1'],
    ['export', 'export KUBECONFIG'],
    ['declare -x', 'declare -x A'],
    ['typeset', 'typeset -x A'],
    ['readonly', 'readonly A'],
    ['unset', 'unset A'],
    ['cd', 'cd /tmp'],
    ['pushd', 'pushd /tmp'],
    ['popd', 'popd'],
    ['read', 'read A < file'],
    ['mapfile', 'mapfile A < file'],
    ['getopts', 'getopts ab opt'],
    ['wait -p', 'wait -p A'],
    ['compgen -V', 'compgen -V A -W x'],
    ['let', 'let A--'],
    ['a for loop', 'for A in 1 2; do :; done'],
    ['printf -v', 'printf -v A x'],
    ['++ in arithmetic', 'echo $((A++))'],
    ['-- in a subscript', 'echo ${arr[A--]}'],
    ['-- in (( ))', '((A--))'],
    ['a parameter default', 'echo ${A:=x}'],
    ['a word that only might be a builtin', 'echo waiting for pods'],
  ])('saves after %s', (_what, command) => {
    expect(environmentSaveFor(command)).toBe('save');
  });

  it.each([
    ['a function', 'f() { export A=1; }'],
    ['a function with spaces', 'f ( ) { :; }'],
    ['the function keyword', 'function f { :; }'],
    ['an alias', 'alias g="export A=1"'],
    ['a trap', "trap 'A=1' DEBUG"],
    ['source', 'source ./env.sh'],
    ['a dot command', '. ./env.sh'],
    ['a dot command after &&', 'true && . ./env.sh'],
    ['eval', 'eval "$CMD"'],
    ['set', 'set -a'],
    ['set in a subshell (read without parsing)', '(set -a)'],
    ['set after an assignment', 'X=1 set -a'],
    ['shopt', 'shopt -s autocd'],
    ['exec', 'exec bash'],
    ['enable', 'enable -f ./lib.so x'],
    ['fc', 'fc -s'],
    ['a prompt string', 'PS4=\'${A:=1}\''],
    ['PS0', 'PS0=x'],
    ['a variable that changes by itself', 'export SECONDS'],
    ['an imported function', 'export BASH_FUNC_f%%'],
    ['a command name from a variable', '$x /tmp'],
    ['a command name behind redirections', '2>/dev/null $x /tmp'],
    ['a command name after `command`', 'command $x /tmp'],
    ['a quoted command name', '"cd" /tmp'],
    ['an escaped command name', 'c\\d /tmp'],
    ['a braced command name', '{c,}d /tmp'],
    ['a case branch running a variable', 'case a in a) $C;; esac'],
    ['a command name in backticks', 'echo `$x`'],
    ['a command name run by jobs -x', 'jobs -x $x /tmp'],
    ['the last argument, once exported', 'export _'],
  ])('saves after %s and after everything that follows', (_what, command) => {
    expect(environmentSaveFor(command)).toBe('always');
  });

  it('gives the same verdict without reading command names when the text shows they cannot matter', () => {
    const piece = fc.constantFrom('echo', 'set', 'exec', '.', 'cd', '$x', '"a"', 'c\\d', '{a,b}', 'ls', '-la', '10.0.0.1', ';', '&&', '|', '(', ')', '\n', ' ', 'x', '>', '2>/dev/null', 'command', '*', 'then', 'case', 'in', 'a)', ';;', 'esac');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 12 }), (pieces) => {
        const command = pieces.join(' ');
        expect(environmentSaveFor(command)).toBe(environmentSaveFor(command, true));
      }),
      { numRuns: 5000 },
    );
  });

  it('finds functions and shell options inherited from the environment', () => {
    expect(inheritsShellState({ PATH: '/bin', 'BASH_FUNC_f%%': '() { :; }' })).toBe(true);
    expect(inheritsShellState({ PATH: '/bin', SHELLOPTS: 'xtrace' })).toBe(true);
    expect(inheritsShellState({ PATH: '/bin', BASHOPTS: 'autocd' })).toBe(true);
    expect(inheritsShellState({ PATH: '/bin' })).toBe(false);
  });
});
