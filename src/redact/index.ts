export { findSecrets, redactSecrets, Redactor, REDACTED, type FoundSecret } from './redact.ts';
export { learnResult, redactResult, redactRun } from './redact-run.ts';
export { SECRET_RULES, type SecretRule } from './patterns.ts';
