import type { Migration } from './migration.ts'

/**
 * Role models as activated (DESIGN.md §1 "role model"): the one `active` model jobs execute and the
 * earlier ones as `history`. The development model is the RoleModel document in the project's
 * files and is not stored here. `source` keeps the document's YAML text exactly as it was
 * activated, so a model can be restored; `hash` identifies its parsed value; `filters` the hashes
 * of the filters it used then (JSON), so a later change to one of them can be pointed out. The partial unique
 * index lets the database itself refuse a second active model, whatever two processes do at once.
 */
export const migration005: Migration = {
  id: 5,
  name: 'role models',
  up: (d) => [
    `CREATE TABLE role_models (
      id ${d.serialPrimaryKey},
      name TEXT NOT NULL,
      state TEXT NOT NULL CHECK (state IN ('active', 'history')),
      source TEXT NOT NULL,
      hash TEXT NOT NULL,
      file TEXT NOT NULL,
      activated_at TEXT NOT NULL,
      activated_by TEXT NOT NULL,
      retired_at TEXT,
      roles INTEGER NOT NULL,
      generators INTEGER NOT NULL,
      filters TEXT NOT NULL DEFAULT '{}'
    )`,
    `CREATE UNIQUE INDEX role_models_one_active ON role_models (state) WHERE state = 'active'`,
  ],
}
