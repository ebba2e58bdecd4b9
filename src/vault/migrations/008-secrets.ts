import type { Migration } from './migration.ts'

/**
 * The encrypted secret store (docs/secrets.md): one row per `${secret:name}`, its value encrypted with
 * AES-256-GCM (src/vault/secrets/secret-cipher.ts). Binary parts are base64 TEXT so the table is the
 * same on SQLite and PostgreSQL; `key_id` names the key a row was sealed with, never the key.
 */
export const migration008: Migration = {
  id: 8,
  name: 'secrets',
  up: () => [
    `CREATE TABLE secrets (
      name TEXT PRIMARY KEY,
      ciphertext TEXT NOT NULL,
      nonce TEXT NOT NULL,
      auth_tag TEXT NOT NULL,
      key_id TEXT NOT NULL,
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL,
      updated_by TEXT NOT NULL
    )`,
  ],
}
