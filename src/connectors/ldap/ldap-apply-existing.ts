/**
 * Is the entry at a create's DN the one that create sent? Asked when the add's outcome is in doubt
 * (its answer lost with the connection) or when the add is refused because the DN exists (68), as
 * it is when a create whose answer was lost is tried again: an entry equal to what was sent is the
 * create's own, done before.
 *
 * Equal means: every value sent is there, compared by the directory's own matching rules (one base
 * search whose filter asserts each value: DNs, case-insensitive names and integers compare as the
 * directory compares them, not as texts), every attribute sent has no other values, and the
 * attributes the create gave no value are absent. Object classes need only be there (AD adds the
 * superclasses). The password is never compared: it is not readable, and on `ldap` not even sent
 * with the add. Attributes the create did not mention are not compared.
 */
import { AndFilter, type Attribute, EqualityFilter, type Filter, NotFilter, PresenceFilter } from 'ldapts'
import { isProvisioError } from '../../core/index.ts'
import { type OperationCall, send } from './ldap-apply-context.ts'
import { NO_MEMBER } from './ldap-encode.ts'
import { valuesOf } from './ldap-values.ts'

type Existing = 'absent' | 'same' | 'different'

/** Attributes that are not compared: object classes (only asserted) and AD's password. */
const NOT_COUNTED = new Set(['objectclass', 'unicodepwd'])

/** What is at `dn` compared with the attributes an add sent there and those it gave no value (`absent`). */
export async function existingEntry(
  call: OperationCall,
  dn: string,
  sent: readonly Attribute[],
  absent: readonly string[],
): Promise<Existing> {
  const compared = sent.filter((a) => a.type.toLowerCase() !== 'unicodepwd')
  const assertions: Filter[] = compared.flatMap((a) =>
    (a.values as (string | Buffer)[])
      // The empty DN of a group without members is no value a filter can assert: counted below.
      .filter((value) => value !== NO_MEMBER)
      .map((value) => new EqualityFilter({ attribute: a.type, value })),
  )
  for (const attribute of absent) assertions.push(new NotFilter({ filter: new PresenceFilter({ attribute }) }))
  const counted = compared.filter((a) => !NOT_COUNTED.has(a.type.toLowerCase()))
  let entries
  try {
    ;({ searchEntries: entries } = await send(call, dn, (client) =>
      client.search(dn, {
        scope: 'base',
        filter: new AndFilter({ filters: assertions }),
        attributes: counted.length === 0 ? ['1.1'] : counted.map((a) => a.type),
        explicitBufferAttributes: counted.map((a) => a.type),
      }),
    ))
  } catch (error) {
    if (isProvisioError(error) && error.code === 'CON_LDAP_NO_SUCH_OBJECT') return 'absent'
    throw error
  }
  const [entry] = entries
  if (entry === undefined) return 'different' // there, but some value sent is not
  for (const a of counted) {
    const found = valuesOf(entry, a.type)
    if (found.length !== a.values.length) return 'different'
    if ((a.values as unknown[]).includes(NO_MEMBER) && !found.some((v) => v.length === 0)) return 'different'
  }
  return 'same'
}
