/**
 * Reading a table: a paged search of the table's base, scope and filter (narrowed to the changes
 * since a watermark on an incremental read), each entry decoded into a row (ldap-values.ts), or
 * into one row per member on a memberships table. Pages are handed on as they come; the read's
 * watermark follows on a last, empty page.
 */
import { type Entry, type Filter, FilterParser } from 'ldapts'
import { qualifiedName, type Row } from '../../core/index.ts'
import type { ReadOptions, ReadPage } from '../contract.ts'
import { ldapError } from './ldap-errors.ts'
import { membershipRows } from './ldap-memberships.ts'
import { requestedAttributes, searchPages } from './ldap-search.ts'
import type { LdapSession } from './ldap-session.ts'
import type { LdapTablePlan } from './ldap-table.ts'
import { memberValues, rowOf } from './ldap-values.ts'
import { type ReadStart, startRead } from './ldap-watermark.ts'

/** The table's filter, parsed; a filter that is not one is the administrator's to fix. */
export function tableFilter(plan: LdapTablePlan): Filter {
  try {
    return FilterParser.parseString(plan.filter)
  } catch (error) {
    const option = plan.options.filter === undefined ? 'the default filter' : '`options.filter`'
    throw ldapError(
      'CON_LDAP_INVALID_FILTER',
      `The filter of table ${qualifiedName(plan.table)} (${option}) is not valid: ${(error as Error).message}`,
      { details: { table: plan.table.name, filter: plan.filter }, cause: error },
    )
  }
}

/**
 * The group entry with its members under `memberAttribute` alone, when the plan reads several
 * member attributes (member and uniqueMember on flavour ldap): the rows are made from that one.
 */
function withAllMembers(plan: LdapTablePlan, entry: Entry): Entry {
  if (plan.memberAttributes.length === 1) return entry
  return { ...entry, [plan.memberAttribute]: memberValues(plan, entry) as string[] | Buffer[] }
}

function rowsOf(plan: LdapTablePlan, entries: readonly Entry[]): Row[] {
  if (plan.objects !== 'memberships') return entries.map((entry) => rowOf(plan, entry))
  return entries.flatMap((entry) => membershipRows(plan, withAllMembers(plan, entry)))
}

/**
 * The rows of the table, page by page. A full read of a users, groups or organizationalUnits table
 * (without back-link columns such as memberOf, see ldap-watermark.ts) returns a watermark on its
 * last page; a read with `since` returns the entries changed since, every page marked `delta`.
 */
export async function* readEntries(
  session: LdapSession,
  plan: LdapTablePlan,
  options: ReadOptions,
): AsyncGenerator<ReadPage, void, undefined> {
  const source = `${qualifiedName(plan.table)} (${plan.base})`
  const filter = tableFilter(plan)
  const now = session.now()
  // Set on the search's connection before its first page (see searchPages' `prepare`).
  let start: ReadStart = { filter, watermark: undefined, delta: false }
  const pages = searchPages(session, `Cannot read table ${qualifiedName(plan.table)}`, async (client) => {
    start = await startRead(client, plan, filter, options.since, now)
    return {
      base: plan.base,
      scope: plan.scope,
      filter: start.filter,
      attributes: requestedAttributes(plan),
      binaryAttributes: plan.binaryAttributes,
      pageSize: plan.pageSize,
    }
  })
  let yielded = false
  for await (const entries of pages) {
    options.signal?.throwIfAborted()
    if (entries.length === 0) continue // an empty page (an empty table's, or one mid-way): nothing to hand on
    yielded = true
    yield { rows: rowsOf(plan, entries), source, ...(start.delta ? { delta: true } : {}) }
  }
  options.signal?.throwIfAborted()
  // The watermark rides on a last, empty page (a page held back for it would keep two pages alive
  // and cost the collection garbage collections); a delta read gives at least this one page.
  const { watermark, delta } = start
  if (watermark !== undefined || (delta && !yielded)) {
    yield { rows: [], source, ...(delta ? { delta: true } : {}), ...(watermark === undefined ? {} : { watermark }) }
  }
}
