import * as z from 'zod/mini';
import './zod-messages.ts';
import type { Step } from './block.ts';

/** A shell a block can type into (contract §2 `sessions`). */
export const SessionDefSchema = z.strictObject({
  /** The prompt that starts a command line in transcripts, e.g. `$ ` or `/ # `. */
  prompt: z.string().check(z.minLength(1)),
  /**
   * Command that starts the session's shell (it must read commands on stdin), e.g.
   * `ip netns exec node1 bash` or `docker exec -i kind-control-plane bash`.
   * Absent: a plain `bash` on the target (`host`), or a session opened by a block's `opens=`.
   */
  command: z.optional(z.string().check(z.minLength(1))),
  /**
   * The program opened with `opens=` is not a shell but a REPL (`python3`, `psql`): each line
   * is typed at its prompt, and a command's output is what the program prints before the next
   * prompt. Extension.
   */
  repl: z.optional(z.boolean()),
  /** A REPL's continuation prompt, e.g. `... ` for python3; dropped from outputs. Extension. */
  continuation: z.optional(z.string().check(z.minLength(1))),
  /** Working directory, relative to the lab's work directory. Extension. */
  cwd: z.optional(z.string()),
  /** Extra environment for this session. Extension. */
  env: z.optional(z.record(z.string(), z.string())),
});
export type SessionDef = z.infer<typeof SessionDefSchema>;

/**
 * Built-in classes a lab may switch on by name in `volatile:` (off by default, since every class
 * loosens a check). Extension.
 * - `count`: a standalone whole number (packet and byte counters); not bound.
 * - `pid`: a standalone whole number that is a process id; bound, so `kill 4242` follows it.
 * - `port`: the number after a colon (`0.0.0.0:43215`); bound.
 */
export const OPT_IN_CLASSES = ['count', 'pid', 'port'] as const;
export type OptInClassName = (typeof OPT_IN_CLASSES)[number];

/** A lab-defined volatile class (contract §5). */
export const PatternClassSchema = z.strictObject({
  name: z.string().check(z.regex(/^[a-z][a-z0-9-]*$/, 'use lower-case letters, digits and dashes')),
  pattern: z.string().check(z.minLength(1)),
  /** Shown in the page tooltip, e.g. "chain hash". Extension. */
  label: z.optional(z.string()),
  /** Whether matched values are bound consistently across the run. @default true. Extension. */
  bind: z.optional(z.boolean()),
});
export type PatternClassDef = z.infer<typeof PatternClassSchema>;

/** An entry of lab.yaml `volatile`: a class of the lab's own, or the name of an opt-in class. */
export const VolatileDefSchema = z.union([z.enum(OPT_IN_CLASSES, { error: `an opt-in class is one of ${OPT_IN_CLASSES.join(', ')}` }), PatternClassSchema]);
export type VolatileDef = z.infer<typeof VolatileDefSchema>;

export const TargetSchema = z.enum(['kind', 'local']);

/** lab.yaml (contract §2). */
export const LabConfigSchema = z.strictObject({
  title: z.string().check(z.minLength(1)),
  /** One-paragraph summary shown on the lab's landing page. Extension. */
  description: z.optional(z.string()),
  target: TargetSchema,
  requires: z.optional(z.array(z.string().check(z.minLength(1)))),
  kind: z.optional(
    z.strictObject({
      config: z.string().check(z.minLength(1)),
      images: z.optional(z.array(z.string().check(z.minLength(1)))),
      /** Cluster name. @default derived from the lab id. Extension. */
      name: z.optional(z.string()),
      /** Node image, e.g. `kindest/node:v1.35.0@sha256:…`. Extension. */
      image: z.optional(z.string()),
      /**
       * Other Kubernetes minor releases to verify the lab on, each with its node image pinned
       * by digest (`kindest/node:v1.36.4@sha256:…`); an entry without one is not run. See
       * src/model/k8s-matrix.ts. Extension.
       */
      matrix: z.optional(
        z.array(
          z.strictObject({
            kubernetes: z.string().check(z.regex(/^\d+\.\d+$/, 'a Kubernetes minor release, e.g. 1.36')),
            image: z.optional(z.string().check(z.minLength(1))),
          }),
        ),
      ),
    }),
  ),
  tools: z.optional(z.record(z.string(), z.string())),
  sessions: z.optional(z.record(z.string().check(z.regex(/^[A-Za-z][\w-]*$/, 'session names are letters, digits, - and _')), SessionDefSchema)),
  bindings: z.optional(z.record(z.string(), z.string())),
  pin: z.optional(z.array(z.string().check(z.minLength(1)))),
  volatile: z.optional(z.array(VolatileDefSchema)),
  setup: z.optional(z.array(z.string())),
  teardown: z.optional(z.array(z.string())),
  /** Whether `--shard` may split this lab's steps across machines. @default false. Extension. */
  shardSteps: z.optional(z.boolean()),
});
export type LabConfig = z.infer<typeof LabConfigSchema>;

/** A parsed lab: its folder, config and steps in file-name order. */
export interface Lab {
  /** Folder name, e.g. `networking-from-scratch`. */
  id: string;
  /** Absolute path of the lab folder. */
  dir: string;
  /** Path of lab.yaml as shown to users. */
  configFile: string;
  config: LabConfig;
  steps: Step[];
  /** Set for a slide deck run as a lab of one step (`slides/<deck>.mdx`): the deck's name. */
  deck?: string;
}

/** The session every lab has. */
export const HOST_SESSION = 'host';
export const DEFAULT_HOST_PROMPT = '$ ';
