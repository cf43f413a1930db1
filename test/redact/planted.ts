/**
 * Planted secrets, one of every kind the runner must hide, each in the context a real tool
 * prints it in. Fake values with real shapes; `value` is what must never leave the process.
 */
export const PLANTED: { kind: string; line: string; value: string }[] = [
  { kind: 'bearer', line: 'Authorization: Bearer s3cr3tB3arerT0kenPlanted42', value: 's3cr3tB3arerT0kenPlanted42' },
  { kind: 'aws-key-id', line: 'aws_access_key_id = AKIAZ3QFODNN7PLANTED', value: 'AKIAZ3QFODNN7PLANTED' },
  { kind: 'aws-secret', line: 'aws_secret_access_key = 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', value: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYPLANTEDKEY' },
  { kind: 'aws-secret-bare', line: 'Zk3r9QmT2vWx7yPa1sDf4gHj6kLz8XcV0bNm5Qw3', value: 'Zk3r9QmT2vWx7yPa1sDf4gHj6kLz8XcV0bNm5Qw3' },
  { kind: 'password', line: 'mysql -u root password=hunter2planted', value: 'hunter2planted' },
  { kind: 'jwt', line: 'id-token eyJhbGciOiJSUzI1NiIsImtpZCI6InBsYW50ZWQifQ.eyJzdWIiOiJzeXN0ZW06cGxhbnRlZCJ9.c2lnbmF0dXJlLXBsYW50ZWQtMTIz', value: 'eyJhbGciOiJSUzI1NiIsImtpZCI6InBsYW50ZWQifQ.eyJzdWIiOiJzeXN0ZW06cGxhbnRlZCJ9.c2lnbmF0dXJlLXBsYW50ZWQtMTIz' },
  { kind: 'client-key-data', line: '    client-key-data: LS0tLS1CRUdJTiBSU0EgUFJJVkFURSBLRVktLS0tLQpwbGFudGVkCg==', value: 'LS0tLS1CRUdJTiBSU0EgUFJJVkFURSBLRVktLS0tLQpwbGFudGVkCg==' },
  { kind: 'client-certificate-data', line: '    client-certificate-data: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCnBsYW50ZWQK', value: 'LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCnBsYW50ZWQK' },
  { kind: 'kubeconfig-token', line: '    token: kubeconfigPlantedToken0123', value: 'kubeconfigPlantedToken0123' },
  { kind: 'ghp', line: 'pushing with ghp_PlantedGithubToken0123456789abcdefgh', value: 'ghp_PlantedGithubToken0123456789abcdefgh' },
  { kind: 'github-pat', line: 'GH github_pat_11PLANTED0_abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ01234567', value: 'github_pat_11PLANTED0_abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ01234567' },
  { kind: 'xoxb', line: 'slack xoxb-123456789012-1234567890123-PlantedSlackBotToken1', value: 'xoxb-123456789012-1234567890123-PlantedSlackBotToken1' },
  { kind: 'url-password', line: 'remote https://deploy:Pl4ntedUrlPass@git.example.com/repo.git', value: 'Pl4ntedUrlPass' },
  { kind: 'private-key', line: '-----BEGIN RSA PRIVATE KEY-----\nMIIEplantedPrivateKeyBody0123456789\n-----END RSA PRIVATE KEY-----', value: 'MIIEplantedPrivateKeyBody0123456789' },
];
