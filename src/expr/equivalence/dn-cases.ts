/**
 * escape_dn: RFC 4514 escaping of DN attribute values, the same on every backend as the LDAP
 * connector's own escapeDnValue (src/core/dn-escape.ts). Hostile values one by one with their
 * expected escaping written out, then a batch whose expected values come from escapeDnValue itself,
 * so the SQL backends are held to exactly the connector's rule.
 */
import { escapeDnValue } from '../../core/index.ts'
import { type EquivalenceCase, eq } from './equivalence-case.ts'

/** PostgreSQL text cannot hold U+0000 (docs/expressions.md, Text). */
const NO_NUL_ON_POSTGRES = { skip: { postgres: 'PostgreSQL text cannot hold U+0000' } }

const HOSTILE = [
  'Sales, Marketing',
  'R+D',
  'Say "hi"',
  'C:\\temp',
  '<script>',
  'a;b=c',
  '#hash',
  ' lead',
  'trail ',
  ' both ',
  '#',
  ' ',
  '  ',
  '# ',
  ' #',
  'a#b c',
  '\\,',
  ',,,',
  'Łukasz Ørsted-Straße',
  'Жанна, 😀 ',
  'line\nbreak ',
  '\t tab ',
  'x',
  '',
]

export const DN_CASES: readonly EquivalenceCase[] = [
  eq('escape_dn(s)', 'Sales\\, Marketing', { s: 'Sales, Marketing' }),
  eq('escape_dn(s)', 'R\\+D', { s: 'R+D' }),
  eq('escape_dn(s)', 'Say \\"hi\\"', { s: 'Say "hi"' }),
  eq('escape_dn(s)', 'C:\\\\temp', { s: 'C:\\temp' }),
  eq('escape_dn(s)', '\\<a\\>', { s: '<a>' }),
  eq('escape_dn(s)', 'a\\;b\\=c', { s: 'a;b=c' }),
  eq('escape_dn(s)', '\\"\\+\\,\\;\\<\\>\\\\\\=', { s: '"+,;<>\\=' }),
  // a leading # or space, a trailing space; a # or space elsewhere stays
  eq('escape_dn(s)', '\\#1', { s: '#1' }),
  eq('escape_dn(s)', '\\ x', { s: ' x' }),
  eq('escape_dn(s)', 'x\\ ', { s: 'x ' }),
  eq('escape_dn(s)', '\\ x\\ ', { s: ' x ' }),
  eq('escape_dn(s)', 'a#b c', { s: 'a#b c' }),
  eq('escape_dn(s)', '\\#', { s: '#' }),
  eq('escape_dn(s)', '\\ ', { s: ' ' }),
  eq('escape_dn(s)', '\\ \\ ', { s: '  ' }),
  eq('escape_dn(s)', '\\  \\ ', { s: '   ' }),
  eq('escape_dn(s)', '\\#\\ ', { s: '# ' }),
  eq('escape_dn(s)', '\\ #', { s: ' #' }),
  eq('escape_dn(s)', '\\,\\ ', { s: ', ' }),
  eq('escape_dn(s)', '\\\\\\,', { s: '\\,' }),
  // NUL as \00 (JS and SQLite; the SQLite functions lose everything after a NUL, provisio_escape_dn does not)
  eq('escape_dn(s)', 'a\\00b\\,c', { s: 'a\u0000b,c' }, NO_NUL_ON_POSTGRES),
  eq('escape_dn(s)', '\\00', { s: '\u0000' }, NO_NUL_ON_POSTGRES),
  // non-ASCII stays as it is; lengths count code points at the ends
  eq('escape_dn(s)', 'Zoë Łukasz Ørsted-Straße', { s: 'Zoë Łukasz Ørsted-Straße' }),
  eq('escape_dn(s)', 'Жанна\\, 😀\\ ', { s: 'Жанна, 😀 ' }),
  eq('escape_dn(s)', 'a\n\\ ', { s: 'a\n ' }),
  eq('escape_dn(s)', '', { s: '' }),
  eq('escape_dn(s)', null, { s: null }),
  // as a mapping builds a DN
  eq(
    "'OU=' || escape_dn(s) || ',OU=Departments,DC=example,DC=test'",
    'OU=\\#R\\+D\\, Lab\\ ,OU=Departments,DC=example,DC=test',
    {
      s: '#R+D, Lab ',
    },
  ),
  eq('escape_dn(lower(s))', 'sales\\, ß', { s: 'SALES, ß' }),
  ...HOSTILE.map((s) => eq('escape_dn(s)', escapeDnValue(s), { s })),
]
