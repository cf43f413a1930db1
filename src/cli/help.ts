/** The part of `labs --help` that explains the lab format in brief. */
export const HELP_FORMAT = `
Lab format (full guide: the "Writing a lab" page of the site, docs/writing-a-lab):
  content/labs/<lab>/lab.yaml        title, target (local|kind), requires, sessions, bindings, pin,
                                     volatile, setup, teardown (every key: "lab.yaml, key by key")
  content/labs/<lab>/NN-<step>.mdx   steps, run in file-name order
  slides/<deck>.mdx                  a deck, run as a lab of one step (record slides-<deck>); its
                                     frontmatter verify: holds lab.yaml keys, or lab: <id> to borrow one;
                                     <Replay> around a verified console block plays it from its record
  \`\`\`console [options]              a transcript: prompt lines are commands, the rest is output
  \`\`\`yaml file=NAME                 a file written into the session's folder before the next block

Block options:
  session=NAME     the shell to type into (default host)
  opens=NAME       the block's command opens interactive session NAME
  skip="why"       shown, never run
  output=MODE      exact (default) | contains | unordered | ignore
  wait=DURATION    re-run until it matches (reported flaky if it needed retries)
  timeout=DURATION per command, default 60s; the process group is killed on expiry
  exit=N|any       expected exit status of the last command (default 0)
  background       keeps running until the step ends; output not compared
  ready=PORT|/PATH|"TEXT"  with background: wait until the port listens, the path exists or the text is printed
  id=NAME          stable id for records, reports and anchors

Volatile values (IPs, MACs, ages, timestamps, generated names, hashes) match any value of their kind
and shape and are bound consistently for the whole run; mark others with [[value]]; a line "..."
skips lines. A value typed in a command, a pin: value and constant addresses (0.0.0.0, 127.0.0.1,
::1, ff:ff:ff:ff:ff:ff…) stand for themselves. Within a step two examples never share a real value.
lab.yaml volatile: [count, pid, port] turns on counters, process ids and ports; sessions: with
repl: true (and continuation:) drive a REPL such as python3 opened with opens=.

A run keeps to itself: secrets are redacted from records, reports and the console; one run per
lab at a time (a dead run's lock is taken over after its teardown); sessions and file= blocks
stay in the run's work folder; outputs are compared up to 16 MiB and stored up to 64 KiB; every
target gets a private, empty KUBECONFIG and KUBECACHEDIR.

Live state (local labs): \`labs verify --keep LAB\` runs the lab and leaves its sessions, background
commands and work folder up behind a daemon holding the lab's lock (socket and state in the lock
folder); \`labs run BLOCK\` (id or file:line; --from/--to for a range) runs blocks in it, or, with no
live state, from scratch after the blocks before them; \`labs verify --watch PATH\` runs the blocks
each save changed; \`labs stop [LAB]\` runs the teardown and removes it all. Neither run nor watch
writes records.

Authoring:
  labs record STEP [--session NAME]     a shell started as a run starts it (work folder, environment,
                                        setup:); on exit or Ctrl-D every command run in it is appended
                                        to STEP as a console block with its output (exit=N if it failed,
                                        secrets redacted); nothing is written if STEP changed meanwhile
                                        (the blocks go to STEP.recording); a new NN-name.mdx is created
        --replay                        first run the earlier steps' commands in it, unchecked, unrecorded
  labs verify --update --interactive    for each drifted output, show the diff and ask [a]ccept, [s]kip,
                                        [e]dit in $EDITOR or [q]uit; needs a terminal (exit 2 without)

While a run writes records, it keeps <records>/.live/<lab>.json (the blocks done and the one
running) and removes it after the record: \`npm run dev\` shows it and reloads on each new record.

Environment:
  LABS_LOCK_DIR=DIR                where the per-lab lock files live (default <tmp>/labs-locks)
  LABS_DEBUG=1                     show where an unexpected error happened
  LABS_FROM_SOURCE=1               load the TypeScript sources instead of the start-up bundle
                                   (node_modules/.cache/labs-cli, rebuilt whenever a source changes)
  LABS_TOOL_PINS=warn              tool version mismatches warn instead of stopping the run
  LABS_KIND_NODE_IMAGE=IMAGE       override lab.yaml kind.image (\`default\`: kind's own)
                                   (not with --k8s, which takes the image lab.yaml pins for the release)
  LABS_KIND_EXPORT_LOGS=DIR        kind export logs DIR/<lab> before a cluster is deleted
  NO_COLOR=1                       plain output

Exit status: 0 all passed, 1 drift, 2 bad input, missing prerequisites, a lab already being
verified, or an output that could not be written (named), 130 interrupted (also SIGTERM, SIGHUP).
`;
