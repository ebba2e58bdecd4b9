import type { Migration } from './migration.ts'

/**
 * One-time passwords (docs/server.md "First login"): a user whose password was generated for them
 * (the first admin of `provisio demo --serve`, `provisio users add`, a reset by an admin) must
 * choose their own before the API does anything else for them. A flag like `disabled` in
 * 007-users.ts: an INTEGER 0/1 on both dialects, so the same statements and comparisons serve both.
 */
export const migration009: Migration = {
  id: 9,
  name: 'password-change',
  up: () => [`ALTER TABLE api_users ADD COLUMN must_change_password INTEGER NOT NULL DEFAULT 0`],
}
