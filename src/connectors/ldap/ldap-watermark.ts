/**
 * Where an incremental read starts and what it narrows the search to.
 *
 * - AD: `ad-usn:<dsServiceName>:<highestCommittedUSN>`, both read from the root DSE BEFORE the search
 *   and on the SAME connection (ldap-search.ts runs this as the search's `prepare`): a change made
 *   during the search has a higher USN and is read again next time, never missed, and the USN is
 *   the one of the domain controller that answers the search. A read from it adds
 *   `(uSNChanged>=usn+1)`. USNs are per domain controller: a watermark of another DC (failover to
 *   the next URL), of another form, or whose DC name is not a DN, means a full read.
 * - ldap: `ldap-ts:<GeneralizedTime>`, the client's clock at the start of the read minus five
 *   minutes: modifyTimestamp is set by the server's clock, and five minutes cover the clock skew
 *   between client and server that Kerberos also tolerates. A read from it adds
 *   `(modifyTimestamp>=…)`; the overlap reads some entries twice, which is harmless. (OpenLDAP's
 *   contextCSN would be exact, but only the syncprov overlay keeps it: not relied on.)
 *
 * Never incremental, hence without a watermark: memberships tables (a group's member list is read
 * whole), and tables with a back-link column such as memberOf: adding a member changes the group,
 * not the member (its uSNChanged and modifyTimestamp stay as they were, on AD and on OpenLDAP's
 * memberof overlay alike), so a delta would miss those changes.
 */
import { AndFilter, type Client, type Filter, GreaterThanEqualsFilter } from 'ldapts'
import { isBackLink } from './ldap-attributes.ts'
import { DnSyntaxError, normalizeDn } from './ldap-dn.ts'
import { readRootDse } from './ldap-root-dse.ts'
import type { LdapTablePlan } from './ldap-table.ts'
import { parseGeneralizedTime, toGeneralizedTime } from './ldap-time.ts'

/** How far the client's clock may be ahead of the server's. */
const CLOCK_SKEW_MS = 5 * 60_000

export interface ReadStart {
  /** The table's filter, narrowed to the changed entries when `delta`. */
  readonly filter: Filter
  /** For the read's last page; undefined for tables never read incrementally. */
  readonly watermark: string | undefined
  readonly delta: boolean
}

/** Whether the table can be read incrementally at all. */
function isIncremental(plan: LdapTablePlan): boolean {
  if (plan.objects === 'memberships') return false
  return !plan.columns.some((c) => c.virtual === undefined && isBackLink(c.attribute))
}

function narrowed(filter: Filter, attribute: string, value: string): Filter {
  return new AndFilter({ filters: [filter, new GreaterThanEqualsFilter({ attribute, value })] })
}

/** Whether two DC names are the same DN; a name that is not a DN is no DC the watermark can be of. */
function sameServer(a: string, b: string): boolean {
  try {
    return normalizeDn(a) === normalizeDn(b)
  } catch (error) {
    if (error instanceof DnSyntaxError) return false
    throw error
  }
}

async function adStart(client: Client, filter: Filter, since: string | undefined): Promise<ReadStart> {
  const root = await readRootDse(client, ['dsServiceName', 'highestCommittedUSN'])
  const server = root['dsServiceName']?.[0] ?? ''
  const usn = root['highestCommittedUSN']?.[0] ?? ''
  const watermark = server !== '' && /^\d+$/.test(usn) ? `ad-usn:${server}:${usn}` : undefined
  const m = since === undefined ? null : /^ad-usn:(.+):(\d+)$/.exec(since)
  if (watermark === undefined || m === null || !sameServer(m[1]!, server)) {
    return { filter, watermark, delta: false }
  }
  return { filter: narrowed(filter, 'uSNChanged', String(BigInt(m[2]!) + 1n)), watermark, delta: true }
}

function ldapStart(filter: Filter, since: string | undefined, now: Date): ReadStart {
  const watermark = `ldap-ts:${toGeneralizedTime(new Date(now.getTime() - CLOCK_SKEW_MS).toISOString())!}`
  const m = since === undefined ? null : /^ldap-ts:(\d{14}(?:\.\d+)?Z)$/.exec(since)
  if (m === null || parseGeneralizedTime(m[1]!) === undefined) return { filter, watermark, delta: false }
  return { filter: narrowed(filter, 'modifyTimestamp', m[1]!), watermark, delta: true }
}

/**
 * The filter, watermark and delta of a read of `plan`, from `since` (the watermark of an earlier
 * read); on AD read from `client`, the connection the search then runs on. `now` is the start of
 * the read by the session's clock.
 */
export async function startRead(
  client: Client,
  plan: LdapTablePlan,
  filter: Filter,
  since: string | undefined,
  now: Date,
): Promise<ReadStart> {
  if (!isIncremental(plan)) return { filter, watermark: undefined, delta: false }
  return plan.flavour === 'ad' ? adStart(client, filter, since) : ldapStart(filter, since, now)
}
