/**
 * Where an incremental read starts and what it narrows the search to.
 *
 * - AD: `ad-usn:<dsServiceName>:<highestCommittedUSN>`, both read from the root DSE BEFORE the search
 *   (a change made during the search has a higher USN and is read again next time, never missed).
 *   A read from it adds `(uSNChanged>=usn+1)`. USNs are per domain controller: a watermark of
 *   another DC (failover to the next URL) or of another form means a full read.
 * - ldap: `ldap-ts:<GeneralizedTime>`, the client's clock at the start of the read minus five
 *   minutes: modifyTimestamp is set by the server's clock, and five minutes cover the clock skew
 *   between client and server that Kerberos also tolerates. A read from it adds
 *   `(modifyTimestamp>=…)`; the overlap reads some entries twice, which is harmless.
 *
 * Never incremental, hence without a watermark: memberships tables (a group's member list is read
 * whole), and tables with a back-link column such as memberOf: adding a member changes the group,
 * not the member (its uSNChanged and modifyTimestamp stay as they were, on AD and on OpenLDAP's
 * memberof overlay alike), so a delta would miss those changes.
 */
import { AndFilter, type Filter, GreaterThanEqualsFilter } from 'ldapts'
import { normalizeDn } from './ldap-dn.ts'
import { readRootDse } from './ldap-root-dse.ts'
import type { LdapSession } from './ldap-session.ts'
import type { LdapTablePlan } from './ldap-table.ts'
import { parseGeneralizedTime, toGeneralizedTime } from './ldap-time.ts'

/** Attributes maintained on the other end of a link: their changes do not touch this entry. */
const BACK_LINKS = new Set(['memberof', 'ismemberof', 'directreports', 'managedobjects', 'msds-memberofbl'])

/** How far the client's clock may be ahead of the server's. */
export const CLOCK_SKEW_MS = 5 * 60_000

export interface ReadStart {
  /** The table's filter, narrowed to the changed entries when `delta`. */
  readonly filter: Filter
  /** For the read's last page; undefined for tables never read incrementally. */
  readonly watermark: string | undefined
  readonly delta: boolean
}

/** Whether the table can be read incrementally at all. */
export function isIncremental(plan: LdapTablePlan): boolean {
  if (plan.objects === 'memberships') return false
  return !plan.columns.some((c) => c.virtual === undefined && BACK_LINKS.has(c.attribute.toLowerCase()))
}

function narrowed(filter: Filter, attribute: string, value: string): Filter {
  return new AndFilter({ filters: [filter, new GreaterThanEqualsFilter({ attribute, value })] })
}

async function adStart(session: LdapSession, filter: Filter, since: string | undefined): Promise<ReadStart> {
  const root = await session.use('Cannot read the root DSE', (client) =>
    readRootDse(client, ['dsServiceName', 'highestCommittedUSN']),
  )
  const server = root['dsServiceName']?.[0] ?? ''
  const usn = root['highestCommittedUSN']?.[0] ?? ''
  const watermark = server !== '' && /^\d+$/.test(usn) ? `ad-usn:${server}:${usn}` : undefined
  const m = since === undefined ? null : /^ad-usn:(.+):(\d+)$/.exec(since)
  if (watermark === undefined || m === null || normalizeDn(m[1]!) !== normalizeDn(server)) {
    return { filter, watermark, delta: false }
  }
  return { filter: narrowed(filter, 'uSNChanged', String(BigInt(m[2]!) + 1n)), watermark, delta: true }
}

function ldapStart(filter: Filter, since: string | undefined, now: number): ReadStart {
  const watermark = `ldap-ts:${toGeneralizedTime(new Date(now - CLOCK_SKEW_MS).toISOString())!}`
  const m = since === undefined ? null : /^ldap-ts:(\d{14}(?:\.\d+)?Z)$/.exec(since)
  if (m === null || parseGeneralizedTime(m[1]!) === undefined) return { filter, watermark, delta: false }
  return { filter: narrowed(filter, 'modifyTimestamp', m[1]!), watermark, delta: true }
}

/** The filter, watermark and delta of a read of `plan`, from `since` (the watermark of an earlier read). */
export async function startRead(
  session: LdapSession,
  plan: LdapTablePlan,
  filter: Filter,
  since: string | undefined,
  now: number = Date.now(),
): Promise<ReadStart> {
  if (!isIncremental(plan)) return { filter, watermark: undefined, delta: false }
  return plan.flavour === 'ad' ? adStart(session, filter, since) : ldapStart(filter, since, now)
}
