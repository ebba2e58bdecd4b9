/**
 * Text that is legal in any string attribute but breaks naive code: SQL and LDAP filter/DN
 * metacharacters, quotes, backslashes, reference-like and format-like sequences, and characters
 * outside the Basic Multilingual Plane. No NUL, no control characters and no leading or trailing
 * blanks: those are legitimately refused or trimmed by some systems.
 */
export const HOSTILE_TEXTS: readonly string[] = [
  `O'Brien"; DROP TABLE accounts; --`,
  String.raw`"Quoted", back\slash + (paren) *star*`,
  'cn=admin,dc=example # <tag> & =eq; ou=x',
  'Ünïcödé Straße 漢字 😀',
  '%s %n {0} ${env:HOME} $(id) `id`',
  String.raw`\2a)(|(objectClass=*)) \00`,
]

/** `base` with the index-th hostile text appended, distinct for distinct `base`s. */
export function hostileText(base: string, index: number): string {
  return `${base} ${HOSTILE_TEXTS[index % HOSTILE_TEXTS.length]!}`
}
