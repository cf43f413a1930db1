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
  /**
   * A cheap test that every text `pattern` matches in passes: a piece that any match must
   * contain, taken from the pattern itself (same case rules). A text that fails it is not
   * searched with `pattern` at all; most outputs fail every rule's, which is what makes
   * redaction cheap. Never narrower than the pattern (a test checks that against the rules).
   */
  needs: { test(text: string): boolean };
}

/** Never redact a marker again: every value pattern refuses to start at one. */
const NOT_MARKER = '(?!\\[REDACTED)';
/** A shell variable or a format placeholder names a secret but is not one: `password=$PASS`, `token: %s`. */
const NOT_PLACEHOLDER = '(?![$%]|\\{\\{|<[A-Za-z])';

/** The word a secret's key ends in. */
const SECRET_WORD = '(?:password|passwd|passphrase|secret|token|api[_-]?key|apikey|access[_-]?key|private[_-]?key|client-key-data|client-certificate-data|credentials?)';
/** Keys whose value is a secret (`password=…`, `token: …`, `AWS_SECRET_ACCESS_KEY=…`). */
const SECRET_KEY = `[A-Za-z0-9_.-]*${SECRET_WORD}`;

/**
 * A test for `min` or more characters of `chars` in a row: what `[chars]{min}` tests, in one
 * pass without backtracking (the regex tries every start position again).
 */
function runOf(min: number, chars: string): { test(text: string): boolean } {
  const member = new Uint8Array(128);
  for (const ch of chars) member[ch.charCodeAt(0)] = 1;
  return {
    test(text: string): boolean {
      let run = 0;
      for (let i = 0; i < text.length; i++) {
        const code = text.charCodeAt(i);
        if (code < 128 && member[code] === 1) {
          if (++run >= min) return true;
        } else run = 0;
      }
      return false;
    },
  };
}

export const SECRET_RULES: readonly SecretRule[] = [
  {
    kind: 'private-key',
    // The body only, without the line breaks around it (also when they are escaped, as in JSON).
    pattern: /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----(?:\s|\\[nr])*(?<secret>[\s\S]*?)(?=(?:\s|\\[nr])*-----END )/g,
    needs: /PRIVATE KEY/,
  },
  { kind: 'http-auth', pattern: new RegExp(`\\b(?:Bearer|Basic|Token)\\s+${NOT_MARKER}(?<secret>[A-Za-z0-9._~+/=-]{8,})`, 'gi'), needs: /bearer|basic|token/i },
  { kind: 'jwt', pattern: /\b(?<secret>eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*)/g, needs: /eyJ/ },
  { kind: 'github-token', pattern: /\b(?<secret>gh[pousr]_[A-Za-z0-9]{20,255})\b/g, needs: /gh[pousr]_/ },
  { kind: 'github-fine-grained-token', pattern: /\b(?<secret>github_pat_[A-Za-z0-9_]{22,255})/g, needs: /github_pat_/ },
  { kind: 'gitlab-token', pattern: /\b(?<secret>glpat-[A-Za-z0-9_-]{20,})/g, needs: /glpat-/ },
  { kind: 'slack-token', pattern: /\b(?<secret>xox[abposre]-[A-Za-z0-9-]{10,})/g, needs: /xox[abposre]-/ },
  { kind: 'slack-app-token', pattern: /\b(?<secret>xapp-\d-[A-Za-z0-9-]{10,})/g, needs: /xapp-\d-/ },
  { kind: 'slack-webhook', pattern: /hooks\.slack\.com\/services\/(?<secret>[A-Za-z0-9/_-]{20,})/g, needs: /hooks\.slack\.com\/services\// },
  { kind: 'aws-access-key-id', pattern: /\b(?<secret>(?:AKIA|ASIA|ABIA|ACCA|A3T[A-Z0-9])[A-Z0-9]{16})\b/g, needs: /AKIA|ASIA|ABIA|ACCA|A3T/ },
  { kind: 'google-api-key', pattern: /\b(?<secret>AIza[0-9A-Za-z_-]{35})/g, needs: /AIza/ },
  { kind: 'stripe-key', pattern: /\b(?<secret>[sr]k_live_[0-9A-Za-z]{16,})/g, needs: /k_live_/ },
  { kind: 'npm-token', pattern: /\b(?<secret>npm_[A-Za-z0-9]{36})\b/g, needs: /npm_/ },
  { kind: 'kubeadm-token', pattern: /\b(?<secret>[a-z0-9]{6}\.[a-z0-9]{16})\b/g, needs: /\.[a-z0-9]{16}/ },
  { kind: 'kubeadm-ca-hash', pattern: /--discovery-token-ca-cert-hash\s+sha256:(?<secret>[0-9a-f]{64})/g, needs: /--discovery-token-ca-cert-hash/ },
  { kind: 'url-password', pattern: new RegExp(`\\b[a-z][a-z0-9+.-]*://[^/\\s:@]+:${NOT_MARKER}(?<secret>[^/\\s@]{3,})@`, 'gi'), needs: /:\/\// },
  { kind: 'flag', pattern: new RegExp(`--(?:password|passwd|token|client-secret|secret|api-key)(?:=|\\s+)["']?${NOT_MARKER}${NOT_PLACEHOLDER}(?<secret>[^\\s"']{3,})`, 'gi'), needs: /--(?:password|passwd|token|client-secret|secret|api-key)/i },
  { kind: 'key-value', pattern: new RegExp(`\\b${SECRET_KEY}["']?\\s*[:=]\\s*["']?${NOT_MARKER}${NOT_PLACEHOLDER}(?<secret>[^\\s"',;}]{4,})`, 'gi'), needs: new RegExp(SECRET_WORD, 'i') },
  {
    // A bare AWS secret access key: 40 characters of base64 with upper, lower and digits, alone.
    kind: 'aws-secret-key',
    pattern: /(?<![A-Za-z0-9/+=])(?<secret>[A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])/g,
    accept: (s) => /[A-Z]/.test(s) && /[a-z]/.test(s) && /[0-9]/.test(s) && !/^[0-9a-fA-F]+$/.test(s),
    needs: runOf(40, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789/+'),
  },
];
