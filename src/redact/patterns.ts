/**
 * What a secret looks like. Each rule captures the secret itself as the group `secret`; anything
 * else it matches (a key name, `Bearer `, a PEM header) is context that stays, so a reader still
 * sees what was there. The set covers the token kinds the common secret scanners know for the
 * tools labs use: HTTP auth, JWTs, kubeconfig credentials, cloud and forge tokens, key=value pairs.
 */
export interface SecretRule {
  /** Short name shown in tests and docs, e.g. `github-token`. */
  kind: string;
  /** Global regex with a named group `secret`. */
  pattern: RegExp;
  /** Extra test on the captured secret, for shapes a regex alone over-matches. */
  accept?: (secret: string) => boolean;
}

/** Never redact a marker again: every value pattern refuses to start at one. */
const NOT_MARKER = '(?!\\[REDACTED)';
/** A shell variable or a format placeholder names a secret but is not one: `password=$PASS`, `token: %s`. */
const NOT_PLACEHOLDER = '(?![$%]|\\{\\{|<[A-Za-z])';

/** Keys whose value is a secret (`password=…`, `token: …`, `AWS_SECRET_ACCESS_KEY=…`). */
const SECRET_KEY =
  '[A-Za-z0-9_.-]*(?:password|passwd|passphrase|secret|token|api[_-]?key|apikey|access[_-]?key|private[_-]?key|client-key-data|client-certificate-data|credentials?)';

export const SECRET_RULES: readonly SecretRule[] = [
  {
    kind: 'private-key',
    // The body only, without the line breaks around it (also when they are escaped, as in JSON).
    pattern: /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----(?:\s|\\[nr])*(?<secret>[\s\S]*?)(?=(?:\s|\\[nr])*-----END )/g,
  },
  { kind: 'http-auth', pattern: new RegExp(`\\b(?:Bearer|Basic|Token)\\s+${NOT_MARKER}(?<secret>[A-Za-z0-9._~+/=-]{8,})`, 'gi') },
  { kind: 'jwt', pattern: /\b(?<secret>eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*)/g },
  { kind: 'github-token', pattern: /\b(?<secret>gh[pousr]_[A-Za-z0-9]{20,255})\b/g },
  { kind: 'github-fine-grained-token', pattern: /\b(?<secret>github_pat_[A-Za-z0-9_]{22,255})/g },
  { kind: 'gitlab-token', pattern: /\b(?<secret>glpat-[A-Za-z0-9_-]{20,})/g },
  { kind: 'slack-token', pattern: /\b(?<secret>xox[abposre]-[A-Za-z0-9-]{10,})/g },
  { kind: 'slack-app-token', pattern: /\b(?<secret>xapp-\d-[A-Za-z0-9-]{10,})/g },
  { kind: 'slack-webhook', pattern: /hooks\.slack\.com\/services\/(?<secret>[A-Za-z0-9/_-]{20,})/g },
  { kind: 'aws-access-key-id', pattern: /\b(?<secret>(?:AKIA|ASIA|ABIA|ACCA|A3T[A-Z0-9])[A-Z0-9]{16})\b/g },
  { kind: 'google-api-key', pattern: /\b(?<secret>AIza[0-9A-Za-z_-]{35})/g },
  { kind: 'stripe-key', pattern: /\b(?<secret>[sr]k_live_[0-9A-Za-z]{16,})/g },
  { kind: 'npm-token', pattern: /\b(?<secret>npm_[A-Za-z0-9]{36})\b/g },
  { kind: 'kubeadm-token', pattern: /\b(?<secret>[a-z0-9]{6}\.[a-z0-9]{16})\b/g },
  { kind: 'kubeadm-ca-hash', pattern: /--discovery-token-ca-cert-hash\s+sha256:(?<secret>[0-9a-f]{64})/g },
  { kind: 'url-password', pattern: new RegExp(`\\b[a-z][a-z0-9+.-]*://[^/\\s:@]+:${NOT_MARKER}(?<secret>[^/\\s@]{3,})@`, 'gi') },
  { kind: 'flag', pattern: new RegExp(`--(?:password|passwd|token|client-secret|secret|api-key)(?:=|\\s+)["']?${NOT_MARKER}${NOT_PLACEHOLDER}(?<secret>[^\\s"']{3,})`, 'gi') },
  { kind: 'key-value', pattern: new RegExp(`\\b${SECRET_KEY}["']?\\s*[:=]\\s*["']?${NOT_MARKER}${NOT_PLACEHOLDER}(?<secret>[^\\s"',;}]{4,})`, 'gi') },
  {
    // A bare AWS secret access key: 40 characters of base64 with upper, lower and digits, alone.
    kind: 'aws-secret-key',
    pattern: /(?<![A-Za-z0-9/+=])(?<secret>[A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])/g,
    accept: (s) => /[A-Z]/.test(s) && /[a-z]/.test(s) && /[0-9]/.test(s) && !/^[0-9a-fA-F]+$/.test(s),
  },
];
