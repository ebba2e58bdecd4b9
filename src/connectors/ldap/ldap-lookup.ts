/**
 * Finding one entry of a table: by its DN (a base-scope search, so that an entry outside the
 * table's base, scope or filter is no row of it) or by the value of a key column (the table's filter
 * AND an equality on the attribute, size limit 2 to tell a duplicate). Used by Connection.lookup,
 * which settles operations in doubt, and by apply to find an operation's target and read it back
 * afterwards. Both are plain searches, never paged: a lookup must not wait behind a paged read
 * whose consumer is busy between two pages (and may itself be waiting for the lookup).
 *
 * Filters are built as ldapts filter objects, not parsed from text: ldapts's filter parser turns a
 * `\xx` escape into one UTF-16 code unit, which corrupts binary values such as an objectGUID.
 */
import { AndFilter, type Entry, EqualityFilter } from 'ldapts'
import { isProvisioError, qualifiedName, type Row, type Value } from '../../core/index.ts'
import { isWithin, normalizeDn, parentDn } from './ldap-dn.ts'
import { ldapError } from './ldap-errors.ts'
import { tableFilter } from './ldap-read.ts'
import { requestedAttributes, searchEntries } from './ldap-search.ts'
import type { LdapSession } from './ldap-session.ts'
import type { LdapColumn, LdapTablePlan } from './ldap-table.ts'
import { rowOf, searchValue } from './ldap-values.ts'

/** The key of a target row: a declared column and its value. */
interface EntryKey {
  readonly column: string
  readonly value: Value
}

function invalidLookup(plan: LdapTablePlan, message: string) {
  return ldapError('CON_LDAP_INVALID_OPERATION', `Lookup in ${qualifiedName(plan.table)}: ${message}`)
}

const actionOf = (plan: LdapTablePlan) => `Cannot look up an entry of ${qualifiedName(plan.table)}`

/** Whether `dn` can be a row of the table by its position: within the base, at the depth the scope allows. */
export function inScope(plan: LdapTablePlan, dn: string): boolean {
  try {
    if (!isWithin(dn, plan.base)) return false
    if (plan.scope === 'base') return normalizeDn(dn) === normalizeDn(plan.base)
    if (plan.scope === 'one') return normalizeDn(parentDn(dn)) === normalizeDn(plan.base)
    return true
  } catch {
    return false // not a DN: no entry has it
  }
}

/** The raw entry at `dn` when it is a row of the table, with `extra` attributes too; else undefined. */
export async function readEntry(
  session: LdapSession,
  plan: LdapTablePlan,
  dn: string,
  extra: readonly string[] = [],
): Promise<Entry | undefined> {
  if (!inScope(plan, dn)) return undefined
  try {
    const [entry] = await searchEntries(
      session,
      actionOf(plan),
      {
        base: dn,
        scope: 'base',
        filter: tableFilter(plan),
        attributes: requestedAttributes(plan, extra),
        binaryAttributes: plan.binaryAttributes,
      },
      1,
    )
    return entry
  } catch (error) {
    // The entry searched for is the search's base: its absence is an answer, not a failure.
    if (
      isProvisioError(error) &&
      (error.code === 'CON_LDAP_BASE_NOT_FOUND' || error.code === 'CON_LDAP_NO_SUCH_OBJECT')
    )
      return undefined
    throw error
  }
}

/** The row of the entry at `dn`, or undefined when there is none in the table. */
export async function readEntryByDn(session: LdapSession, plan: LdapTablePlan, dn: string): Promise<Row | undefined> {
  const entry = await readEntry(session, plan, dn)
  return entry === undefined ? undefined : rowOf(plan, entry)
}

function columnOf(plan: LdapTablePlan, name: string): LdapColumn {
  const column = plan.columns.find((c) => c.column.name === name)
  if (column === undefined) throw invalidLookup(plan, `the table has no column '${name}'.`)
  if (column.virtual !== undefined && column.virtual !== 'dn') {
    throw invalidLookup(plan, `'${name}' (${column.virtual}) is computed, not a key.`)
  }
  return column
}

/**
 * The entry whose key column holds `key.value`: at most one, else CON_LDAP_AMBIGUOUS_KEY (two
 * entries share a value the data model declares unique).
 */
async function findByKey(
  session: LdapSession,
  plan: LdapTablePlan,
  key: EntryKey,
  extra: readonly string[] = [],
): Promise<Entry | undefined> {
  if (plan.objects === 'memberships') {
    throw invalidLookup(plan, 'the rows of a memberships table are (group, member) pairs without a key.')
  }
  const column = columnOf(plan, key.column)
  if (key.value === null) return undefined
  if (column.virtual === 'dn') {
    if (typeof key.value !== 'string') return undefined
    return readEntry(session, plan, key.value, extra)
  }
  const equality = new EqualityFilter({ attribute: column.attribute, value: searchValue(plan, column, key.value) })
  const entries = await searchEntries(
    session,
    actionOf(plan),
    {
      base: plan.base,
      scope: plan.scope,
      filter: new AndFilter({ filters: [tableFilter(plan), equality] }),
      attributes: requestedAttributes(plan, extra),
      binaryAttributes: plan.binaryAttributes,
    },
    2,
  )
  if (entries.length > 1) {
    throw ldapError(
      'CON_LDAP_AMBIGUOUS_KEY',
      `${qualifiedName(plan.table)} has more than one entry with ${key.column} ${JSON.stringify(key.value)}: ${entries
        .map((e) => e.dn)
        .join('; ')}.`,
      { details: { table: plan.table.name, column: key.column, dns: entries.map((e) => e.dn) } },
    )
  }
  return entries[0]
}

/** Connection.lookup: the row whose declared column has the value, or undefined. */
export async function lookupEntry(
  session: LdapSession,
  plan: LdapTablePlan,
  column: string,
  value: Value,
): Promise<Row | undefined> {
  const entry = await findByKey(session, plan, { column, value })
  return entry === undefined ? undefined : rowOf(plan, entry)
}

/** The raw entry a key names (with `extra` attributes), for functions that read before they write. */
export async function findEntry(
  session: LdapSession,
  plan: LdapTablePlan,
  key: EntryKey,
  extra: readonly string[],
): Promise<Entry | undefined> {
  return findByKey(session, plan, key, extra)
}
