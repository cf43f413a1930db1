/**
 * Secrets that must never reach a record or a report, and how to recognise them. Each rule keeps
 * its context (the key name) and replaces only the secret, so a reader still sees what was there.
 */
const RULES: { pattern: RegExp; replace: string }[] = [
  // Authorization headers and bearer tokens
  { pattern: /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/g, replace: '$1 [REDACTED]' },
  // JSON Web Tokens (service-account tokens, OIDC)
  { pattern: /\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g, replace: '[REDACTED-JWT]' },
  // kubeadm bootstrap tokens: abcdef.0123456789abcdef
  { pattern: /\b[a-z0-9]{6}\.[a-z0-9]{16}\b/g, replace: '[REDACTED-TOKEN]' },
  // kubeadm join CA cert hashes
  { pattern: /(--discovery-token-ca-cert-hash\s+)sha256:[0-9a-f]{64}/g, replace: '$1sha256:[REDACTED]' },
  // PEM private keys
  { pattern: /-----BEGIN ([A-Z ]*)PRIVATE KEY-----[\s\S]*?-----END \1PRIVATE KEY-----/g, replace: '-----BEGIN $1PRIVATE KEY-----\n[REDACTED]\n-----END $1PRIVATE KEY-----' },
  // key: value / key=value pairs whose key says secret
  { pattern: /\b((?:[A-Za-z_-]*(?:password|passwd|secret|token|api[_-]?key|access[_-]?key|private[_-]?key))["']?\s*[:=]\s*["']?)([^\s"',}]{4,})/gi, replace: '$1[REDACTED]' },
  // kubeconfig embedded credentials
  { pattern: /\b((?:client-key-data|client-certificate-data|token-data)\s*:\s*)\S+/g, replace: '$1[REDACTED]' },
  // AWS access key ids
  { pattern: /\bAKIA[0-9A-Z]{16}\b/g, replace: '[REDACTED-AWS-KEY]' },
];

/** Replaces secrets in text with `[REDACTED…]` markers. Idempotent. */
export function redactSecrets(text: string): string {
  let out = text;
  for (const r of RULES) out = out.replace(r.pattern, r.replace);
  return out;
}
