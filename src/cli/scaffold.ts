import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { exists } from '../parse/find-labs.ts';

/** What `labs new` made. */
export interface ScaffoldResult {
  /** The lab folder, relative to the project. */
  dir: string;
  /** Files written, relative to the project. */
  files: string[];
}

/** A problem `labs new` reports instead of writing anything. */
export class ScaffoldError extends Error {
  readonly hint: string;
  constructor(message: string, hint: string) {
    super(message);
    this.hint = hint;
  }
}

/** Lab ids are folder names and URL parts: lower-case words joined by dashes. */
const LAB_ID = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;

/**
 * `labs new <lab-id> [--target local|kind]`: a lab folder under `content/labs/` with a lab.yaml
 * and a first step that passes as written (local) or checks cleanly (kind, which needs Docker to
 * run), showing the parts an author uses first: a transcript, a value that changes on every run,
 * a file the reader writes. Never overwrites: an existing folder is an error.
 */
export async function scaffoldLab(projectRoot: string, id: string, target: 'local' | 'kind'): Promise<ScaffoldResult> {
  if (!LAB_ID.test(id)) throw new ScaffoldError(`"${id}" is not a lab id`, 'use lower-case letters, digits and dashes, e.g. my-first-lab');
  const dir = join(projectRoot, 'content/labs', id);
  if (await exists(dir)) throw new ScaffoldError(`${relative(projectRoot, dir)} already exists`, 'choose another id, or edit the lab that is there');
  const files = target === 'local' ? localLab(id) : await kindLab(id, projectRoot);
  await mkdir(dir, { recursive: true });
  for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text, { flag: 'wx' });
  return { dir: relative(projectRoot, dir), files: Object.keys(files).map((f) => relative(projectRoot, join(dir, f))) };
}

function title(id: string): string {
  const words = id.split('-').join(' ');
  return words[0]!.toUpperCase() + words.slice(1);
}

function localLab(id: string): Record<string, string> {
  return {
    'lab.yaml': [
      `title: ${title(id)}`,
      'description: What a reader learns in this lab, in one or two sentences.',
      'target: local',
      '# What the runner checks before anything runs; add the tools your commands use.',
      'requires: [bash]',
      '',
    ].join('\n'),
    '01-first-step.mdx': [
      '---',
      'title: First step',
      'description: What this step shows.',
      '---',
      '',
      'Explain what the reader is about to do, then show the commands and what they print. Paste',
      'real output: values that change on every run, like the time below, are recognised by their',
      'shape, and the page marks them for the reader.',
      '',
      '```console',
      '$ echo "Hello from $(uname -s)"',
      'Hello from Linux',
      "$ date -u '+%Y-%m-%d %H:%M:%S'",
      '2026-12-05 18:00:00',
      '```',
      '',
      'A file the reader creates is a block with `file=`; it is written before the next command:',
      '',
      '```text file=greeting.txt',
      'hello, lab',
      '```',
      '',
      '```console',
      '$ wc -c greeting.txt',
      '11 greeting.txt',
      '```',
      '',
      'Run `npx labs verify content/labs/' + id + '` to check this page, then replace it with your own.',
      '',
    ].join('\n'),
  };
}

async function kindLab(id: string, projectRoot: string): Promise<Record<string, string>> {
  const pins = await toolPins(projectRoot);
  const tools = ['kind', 'kubectl'].filter((t) => pins[t]).map((t) => `  ${t}: ${pins[t]}`);
  return {
    'lab.yaml': [
      `title: ${title(id)}`,
      'description: What a reader learns in this lab, in one or two sentences.',
      'target: kind',
      'kind:',
      '  config: kind.yaml',
      '  # Images the steps use, pulled once and loaded into the node before step 1.',
      '  images: [busybox:1.37.0]',
      ...(tools.length > 0 ? ['# The versions of tools.json; the runner checks them before it starts.', 'tools:', ...tools] : []),
      '',
    ].join('\n'),
    'kind.yaml': ['kind: Cluster', 'apiVersion: kind.x-k8s.io/v1alpha4', 'name: kind', 'nodes:', '- role: control-plane', ''].join('\n'),
    '01-first-step.mdx': [
      '---',
      'title: First step',
      'description: What this step shows.',
      '---',
      '',
      'The runner creates the cluster from `kind.yaml` before this step and deletes it after the',
      'last one. Show the commands a reader types and what they print, with the real values you',
      'saw: addresses, pod names and ages are recognised by their shape.',
      '',
      '```console',
      '$ kubectl get nodes',
      'NAME                 STATUS   ROLES           AGE   VERSION',
      // The node's version is its image's; [[…]] marks it as a value that may differ.
      'kind-control-plane   Ready    control-plane   45s   [[v1.37.0]]',
      '```',
      '',
      'Run `npx labs check content/labs/' + id + '` here; `labs verify` needs Docker and the pinned tools.',
      '',
    ].join('\n'),
  };
}

async function toolPins(projectRoot: string): Promise<Record<string, string>> {
  try {
    const json = JSON.parse(await readFile(join(projectRoot, 'tools.json'), 'utf8')) as { tools?: Record<string, { version?: string }> };
    return Object.fromEntries(Object.entries(json.tools ?? {}).flatMap(([k, v]) => (v.version ? [[k, v.version]] : [])));
  } catch {
    return {};
  }
}
