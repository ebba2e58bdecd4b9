import type { Migration } from './migration.ts'

/**
 * Who may use the API (DESIGN.md §10, docs/server.md): local users with a role and a scrypt
 * password hash, their login sessions and their API tokens, and the admin audit of logins and of
 * user and token changes. Sessions and tokens are stored only as the SHA-256 of the secret handed
 * out, so a copy of the vault logs nobody in. The admin audit is its own table so that the audit of
 * writes to targets holds only those.
 */
export const migration007: Migration = {
  id: 7,
  name: 'users',
  up: (d) => [
    `CREATE TABLE api_users (
      id ${d.serialPrimaryKey},
      name TEXT NOT NULL,
      name_key TEXT NOT NULL UNIQUE,
      role TEXT NOT NULL CHECK (role IN ('admin', 'operator', 'auditor')),
      password_hash TEXT NOT NULL,
      disabled INTEGER NOT NULL DEFAULT 0,
      created_at TEXT NOT NULL,
      password_changed_at TEXT NOT NULL
    )`,
    `CREATE TABLE user_sessions (
      id_hash TEXT PRIMARY KEY,
      user_id BIGINT NOT NULL,
      csrf_token TEXT NOT NULL,
      created_at TEXT NOT NULL,
      last_seen_at TEXT NOT NULL,
      expires_at TEXT NOT NULL
    )`,
    `CREATE INDEX user_sessions_user ON user_sessions (user_id)`,
    `CREATE TABLE api_tokens (
      id ${d.serialPrimaryKey},
      label TEXT NOT NULL,
      user_id BIGINT NOT NULL,
      token_hash TEXT NOT NULL UNIQUE,
      created_at TEXT NOT NULL,
      last_used_at TEXT,
      expires_at TEXT
    )`,
    `CREATE TABLE admin_audit (
      id ${d.serialPrimaryKey},
      at TEXT NOT NULL,
      actor TEXT NOT NULL,
      action TEXT NOT NULL,
      subject TEXT,
      details_json TEXT
    )`,
  ],
}
