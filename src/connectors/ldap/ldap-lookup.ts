/**
 * Finding one entry of a table: by its DN (a base-scope search, so that an entry outside the
 * table's base, scope or filter is no row of it) or by the value of a key column (the table's filter
 * AND an equality on the attribute). Used by Connection.lookup, which settles operations in doubt,
 * and by apply to find an operation's target and read it back afterwards.
 *
 * Filters are built as ldapts filter objects, not parsed from text: ldapts's filter parser turns a
 * `\xx` escape into one UTF-16 code unit, which corrupts binary values such as an objectGUID.
 */
import { AndFilter, type Entry, EqualityFilter, type Filter } from 'ldapts'
import { isProvisioError, qualifiedName, type Row, type Value } from '../../core/index.ts'
import { isWithin, normalizeDn, parentDn } from './ldap-dn.ts'
import { ldapError } from './ldap-errors.ts'
import { tableFilter } from './ldap-read.ts'
import { completeRanges, hasRanges } from './ldap-ranged.ts'
import { bufferNames, searchPages } from './ldap-search.ts'
import type { LdapSession } from './ldap-session.ts'
import type { LdapColumn, LdapTablePlan } from './ldap-table.ts'
import { rowOf, searchValue } from './ldap-values.ts'

/** The key of a target row: a declared column and its value. */
export interface EntryKey {
  readonly column: string
  readonly value: Value
}

function invalidLookup(plan: LdapTablePlan, message: string) {
  return ldapError('CON_LDAP_INVALID_OPERATION', `Lookup in ${qualifiedName(plan.table)}: ${message}`)
}

/** Whether `dn` can be a row of the table by its position: within the base, at the depth the scope allows. */
function inScope(plan: LdapTablePlan, dn: string): boolean {
  try {
    if (!isWithin(dn, plan.base)) return false
    if (plan.scope === 'base') return normalizeDn(dn) === normalizeDn(plan.base)
    if (plan.scope === 'one') return normalizeDn(parentDn(dn)) === normalizeDn(plan.base)
    return true
  } catch {
    return false // not a DN: no entry has it
  }
}

/**
 * The entries of one search of the table (at most `limit`), with the table's attributes and
 * `extra` ones. A base-scope search of an entry that does not exist gives none.
 */
async function findEntries(
  session: LdapSession,
  plan: LdapTablePlan,
  search: { base: string; scope: 'base' | 'one' | 'sub'; equality?: EqualityFilter; extra?: readonly string[] },
  limit: number,
): Promise<Entry[]> {
  const filter =
    search.equality === undefined ? tableFilter(plan) : new AndFilter({ filters: [tableFilter(plan), search.equality] })
  const found: Entry[] = []
  try {
    // One entry by its DN (the read-back after every write): a plain search, one request, no paging.
    if (search.scope === 'base') return await baseEntry(session, plan, search.base, filter, search.extra ?? [])
    for await (const page of searchPages(session, {
      base: search.base,
      scope: search.scope,
      filter,
      attributes: [...new Set([...plan.attributes, ...(search.extra ?? [])])],
      binaryAttributes: plan.binaryAttributes,
      pageSize: limit + 1,
      action: `Cannot look up an entry of ${qualifiedName(plan.table)}`,
    })) {
      found.push(...page)
      if (found.length >= limit) break
    }
  } catch (error) {
    // The entry searched for is the search's base: its absence is an answer, not a failure.
    if (
      search.scope === 'base' &&
      isProvisioError(error) &&
      (error.code === 'CON_LDAP_BASE_NOT_FOUND' || error.code === 'CON_LDAP_NO_SUCH_OBJECT')
    ) {
      return []
    }
    throw error
  }
  return found
}

async function baseEntry(
  session: LdapSession,
  plan: LdapTablePlan,
  dn: string,
  filter: Filter,
  extra: readonly string[],
): Promise<Entry[]> {
  const action = `Cannot look up an entry of ${qualifiedName(plan.table)}`
  const { searchEntries } = await session.use(action, (client) =>
    client.search(dn, {
      scope: 'base',
      filter,
      attributes: [...new Set([...plan.attributes, ...extra])],
      explicitBufferAttributes: bufferNames(plan.binaryAttributes),
      timeLimit: Math.ceil(session.config.timeout / 1000),
    }),
  )
  for (const entry of searchEntries)
    if (hasRanges(entry)) await session.use(action, (client) => completeRanges(client, entry))
  return searchEntries
}

/** The raw entry at `dn` when it is a row of the table, with `extra` attributes too; else undefined. */
export async function readEntry(
  session: LdapSession,
  plan: LdapTablePlan,
  dn: string,
  extra: readonly string[] = [],
): Promise<Entry | undefined> {
  if (!inScope(plan, dn)) return undefined
  const [entry] = await findEntries(session, plan, { base: dn, scope: 'base', extra }, 1)
  return entry
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
  const value = searchValue(plan, column, key.value)
  const equality = new EqualityFilter({ attribute: column.attribute, value })
  const entries = await findEntries(session, plan, { base: plan.base, scope: plan.scope, equality, extra }, 2)
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

/** The DN of the entry a key names, or undefined when the table has none. */
export async function findEntryDn(
  session: LdapSession,
  plan: LdapTablePlan,
  key: EntryKey,
): Promise<string | undefined> {
  return (await findByKey(session, plan, key))?.dn
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
