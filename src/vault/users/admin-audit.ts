/**
 * The admin audit (migration 7): logins, logouts and changes of users and API tokens, with who did
 * them. Separate from the audit of writes to targets, which holds only those. Never a password or
 * a token in `details`.
 */
import type { SqlExecutor } from '../driver/sql-driver.ts'

export interface AdminAuditRecord {
  readonly id: number
  readonly at: string
  /** The user who acted, `cli` for the command line, or the name tried at a failed login. */
  readonly actor: string
  /** `login`, `login.failed`, `logout`, `user.add`, `user.remove`, `user.role`, `user.passwd`, `token.add`, `token.revoke`. */
  readonly action: string
  readonly subject: string | undefined
  readonly details: Record<string, unknown> | undefined
}

export async function appendAdminAudit(db: SqlExecutor, record: Omit<AdminAuditRecord, 'id'>): Promise<void> {
  await db.run('INSERT INTO admin_audit (at, actor, action, subject, details_json) VALUES (?, ?, ?, ?, ?)', [
    record.at,
    record.actor,
    record.action,
    record.subject ?? null,
    record.details === undefined ? null : JSON.stringify(record.details),
  ])
}

export interface AdminAuditQuery {
  readonly actor?: string | undefined
  readonly action?: string | undefined
  /** Records with an id below this one: the next page. */
  readonly before?: number | undefined
  /** @default 100 */
  readonly limit?: number | undefined
}

/** The newest records first. */
export async function listAdminAudit(db: SqlExecutor, query: AdminAuditQuery = {}): Promise<AdminAuditRecord[]> {
  const where: string[] = []
  const params: (string | number)[] = []
  const add = (condition: string, value: string | number | undefined) => {
    if (value === undefined) return
    where.push(condition)
    params.push(value)
  }
  add('actor = ?', query.actor)
  add('action = ?', query.action)
  add('id < ?', query.before)
  params.push(query.limit ?? 100)
  const rows = await db.query(
    `SELECT id, at, actor, action, subject, details_json FROM admin_audit
     ${where.length === 0 ? '' : `WHERE ${where.join(' AND ')}`} ORDER BY id DESC LIMIT ?`,
    params,
  )
  return rows.map((r) => ({
    id: Number(r['id']),
    at: String(r['at']),
    actor: String(r['actor']),
    action: String(r['action']),
    subject: (r['subject'] as string | null) ?? undefined,
    details:
      r['details_json'] == null ? undefined : (JSON.parse(r['details_json'] as string) as Record<string, unknown>),
  }))
}
