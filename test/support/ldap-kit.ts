/**
 * Helpers for the LDAP connector's tests: declared tables in one line (like the SQL tests'
 * `tableOf`), a session on a test directory, and reading a table whole.
 */
import { type Clock, silentLogger, type TableSchema } from '../../src/core/index.ts'
import type { ReadOptions, ReadPage } from '../../src/connectors/contract.ts'
import { readEntries } from '../../src/connectors/ldap/ldap-read.ts'
import { type LdapConfig, ldapConfigSchema } from '../../src/connectors/ldap/ldap-schema.ts'
import { LdapSession } from '../../src/connectors/ldap/ldap-session.ts'
import { checkedPlan, type LdapTablePlan } from '../../src/connectors/ldap/ldap-table.ts'
import { systemConfig, type TestDirectory } from './ldap-servers.ts'

/** Declared tables written short (`'name'`, `'name:integer'`, `'name:string[]'`, or a full schema). */
export { type ColumnSpec as LdapColumnSpec, tableOf as ldapTable } from './table-specs.ts'

/** The parsed config of a system on `server`, the password resolved (as the config loader would). */
export function configOf(server: TestDirectory, overrides: Record<string, unknown> = {}): LdapConfig {
  const { password, ...rest } = overrides
  const config = ldapConfigSchema.parse(systemConfig(server, rest))
  return { ...config, password: (password as string | undefined) ?? server.password }
}

/** A session on `server` (close it); `clock` stands in for the system clock of OpenLDAP watermarks. */
export function sessionOf(server: TestDirectory, overrides: Record<string, unknown> = {}, clock?: Clock): LdapSession {
  return new LdapSession(configOf(server, overrides), { projectDir: process.cwd(), logger: silentLogger, clock })
}

/** The plan of `table` on `session`'s directory, as a connection makes it (refused when the table does not fit). */
export function planOf(session: LdapSession, table: TableSchema): LdapTablePlan {
  return checkedPlan(table, session.config)
}

/** Every page of a read, whole. */
export async function readPages(
  session: LdapSession,
  table: TableSchema,
  options: Omit<ReadOptions, 'table'> = {},
): Promise<ReadPage[]> {
  const pages: ReadPage[] = []
  for await (const page of readEntries(session, planOf(session, table), { table, ...options })) pages.push(page)
  return pages
}

/** The rows of all pages. */
export const rowsOf = (pages: readonly ReadPage[]) => pages.flatMap((p) => p.rows)
