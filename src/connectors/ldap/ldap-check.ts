/**
 * `provisio system check` for a directory: connecting and binding prove reachability, TLS trust
 * and the credentials (LdapSession translates each failure), and a base-scope search of the
 * configured baseDN proves that it exists. A missing base is told together with the naming
 * contexts the server does hold, which usually shows the right spelling.
 */
import { ldapError } from './ldap-errors.ts'
import { readRootDse } from './ldap-root-dse.ts'
import type { LdapSession } from './ldap-session.ts'
import type { Client } from 'ldapts'

async function baseNotFound(client: Client, session: LdapSession): Promise<Error> {
  const contexts = (await readRootDse(client, ['namingContexts']).catch(() => undefined))?.['namingContexts'] ?? []
  const base = session.config.baseDN
  return ldapError('CON_LDAP_BASE_NOT_FOUND', `The base DN ${base} is not in the directory at ${session.location}.`, {
    hint:
      contexts.length === 0
        ? 'Correct `config.baseDN`; the server does not list its naming contexts.'
        : `Correct \`config.baseDN\`: the server holds ${contexts.join('; ')}.`,
    details: { baseDN: base, namingContexts: [...contexts] },
  })
}

/** Connects, binds and finds the base DN; throws a CON_LDAP_ error with a hint when any of them fails. */
export async function checkDirectory(session: LdapSession): Promise<void> {
  await session.use(`Cannot check the directory`, async (client) => {
    try {
      await client.search(session.config.baseDN, { scope: 'base', filter: '(objectClass=*)', attributes: ['1.1'] })
    } catch (error) {
      if ((error as { code?: unknown }).code === 32) throw await baseNotFound(client, session)
      throw error
    }
  })
}
