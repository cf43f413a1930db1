/** The parse stage: lab.yaml and step files in, the Lab / Step / Block model and located problems out. */
export { parseDuration } from './duration.ts';
export { parseMetaOptions, META_KEYS, type MetaOptions, type MetaToken } from './meta-options.ts';
export { parseTranscript, type TranscriptOptions } from './transcript.ts';
export { checkVolatileMarkers } from './markers.ts';
export { findHeredocs, type HeredocOperator } from './heredoc.ts';
export { extractBlocks, parseCodeBlock, promptOf, type CodeBlockContext, type CodeNode, type ExtractBlocksOptions } from './extract-blocks.ts';
export { CONSOLE_LANG } from './code-block.ts';
export { splitFrontmatter, type Frontmatter } from './frontmatter.ts';
export { parseLabConfig, type LabConfigResult } from './lab-config.ts';
export { checkDuplicateIds } from './check-ids.ts';
export { checkSessionOrder } from './check-sessions.ts';
export { loadLab, loadStepFile, STEP_FILE, type LoadLabOptions } from './load-lab.ts';
export { findLabs } from './find-labs.ts';
