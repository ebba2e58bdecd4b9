/**
 * The root DSE: the server's self-description (RFC 4512 §5.1), read with a base search of the empty
 * DN. Provisio reads namingContexts and subschemaSubentry everywhere, and on AD dsServiceName and
 * highestCommittedUSN (the start of an incremental read).
 */
import type { Client } from 'ldapts'
import { valuesOf } from './ldap-values.ts'

/** The text values of the asked root DSE attributes, by the name asked for (absent: []). */
export type RootDse = Readonly<Record<string, readonly string[]>>

export async function readRootDse(client: Client, attributes: readonly string[]): Promise<RootDse> {
  const { searchEntries } = await client.search('', {
    scope: 'base',
    filter: '(objectClass=*)',
    attributes: [...attributes],
  })
  const entry = searchEntries[0] ?? { dn: '' }
  return Object.fromEntries(attributes.map((a) => [a, valuesOf(entry, a).map(String)]))
}
