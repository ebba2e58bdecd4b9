import { defineErrors } from '../core/index.ts'

export const vaultError = defineErrors('vault', {
  VLT_OPEN_FAILED: {
    audience: 'operational',
    title: 'The vault database could not be opened.',
    hint: 'Check that the data folder is writable, or that the PostgreSQL URL in --database / PROVISIO_DATABASE_URL is right and the server is running.',
  },
  VLT_UNREACHABLE: {
    audience: 'operational',
    retry: 'safe',
    title: 'The PostgreSQL server of the vault did not answer.',
    hint: 'Start the server or correct the host and port in the database URL, then try again.',
  },
  VLT_MIGRATION_FAILED: {
    audience: 'bug',
    title: 'A vault migration failed; the vault was left at the previous version.',
    hint: 'Report this with the message; the database was not changed by the failed migration.',
  },
  VLT_NEWER_SCHEMA: {
    audience: 'user',
    title: 'The vault was written by a newer Provisio version.',
    hint: 'Upgrade Provisio, or point --database at another vault.',
  },
  VLT_QUERY_FAILED: {
    audience: 'bug',
    title: 'A vault query failed unexpectedly.',
    hint: 'Report this with the message and the command that caused it.',
  },
  VLT_UNKNOWN_TABLE: {
    audience: 'user',
    title: 'The table named is not in the project or has never been collected.',
    hint: 'Use SYSTEM.TABLE as in the System document; `provisio vault tables` lists what the vault holds.',
  },
  VLT_EMPTY_KEY: {
    audience: 'user',
    title: 'A row of the collection has an empty primary key.',
    hint: 'Fix the source so that every row has a value in its key column; the vault was not changed.',
  },
  VLT_DUPLICATE_KEY: {
    audience: 'user',
    title: 'Two or more rows of the collection share a primary or reference key value.',
    hint: 'Remove the duplicates in the source, or choose another key column; the vault was not changed.',
  },
  VLT_GUARD_REJECTED: {
    audience: 'user',
    title: 'A collection guard rejected the collection; the vault keeps its previous state.',
    hint: 'Check the source export first. If the change is expected, run again with --force or raise the guard in the System document.',
  },
  VLT_SCHEMA_CHANGE: {
    audience: 'user',
    title: "A table's primary key or a column's type changed since the table was last collected.",
    hint: 'Run `provisio vault reset SYSTEM.TABLE` to drop the table and its history, then collect again.',
  },
  VLT_UNKNOWN_COLLECTION: {
    audience: 'user',
    title: 'No successful collection has that id.',
    hint: '`provisio collections` lists the collections with their ids.',
  },
  VLT_INVALID_CONDITION: {
    audience: 'user',
    title: 'A condition (--where) is not a valid expression over the table.',
    hint: 'Fix the expression at the position shown; docs/expressions.md lists the operators and functions.',
  },
  VLT_INVALID_CURSOR: {
    audience: 'user',
    title: 'A paging cursor (`after`) is not one the API answered.',
    hint: 'Send the `next` of the page before unchanged, with the same `sort`, `order` and `where`; or start again without `after`.',
  },
  VLT_READ_FAILED: {
    audience: 'operational',
    title: 'Reading a table from its system failed; the vault was not changed.',
    hint: 'Fix the problem named in the message and collect again.',
  },
  VLT_UNKNOWN_PLAN: {
    audience: 'user',
    title: 'No stored plan has that id.',
    hint: 'Use the plan id that `provisio job evaluate` or `provisio mapping evaluate` printed.',
  },
  VLT_EXECUTION_BUSY: {
    audience: 'operational',
    title: 'Another run is writing to the same target system right now.',
    hint: 'Wait for it to finish (`provisio plan list` shows it executing), then run again. A run that died is taken over once its lease is a minute old.',
  },
  VLT_PLAN_STATE: {
    audience: 'user',
    title: 'The plan cannot take that status from the status it has.',
    hint: 'An executed plan is final: evaluate the job or mapping again for a fresh plan.',
  },
  VLT_UNKNOWN_RUN: {
    audience: 'user',
    title: 'No run has that id.',
    hint: 'Use the run id that `provisio job run` or `provisio plan execute` printed.',
  },
  VLT_UNKNOWN_REVISION: {
    audience: 'bug',
    title: 'A run names a configuration revision the vault does not hold.',
    hint: 'Report this with the run id: revisions are stored before the run that names them.',
  },
  VLT_INVALID_OPERATION: {
    audience: 'bug',
    title: 'An operation handed to the plan store is malformed; nothing of the batch was stored.',
    hint: 'Report this with the message: the planner produced an operation the vault cannot store.',
  },
  VLT_NOT_COLLECTED: {
    audience: 'user',
    title: 'The target table has never been collected, so the vault cannot hold what is written to it.',
    hint: 'Run `provisio collect SYSTEM` for the target system first, then evaluate again.',
  },
  VLT_WRITE_BACK_FAILED: {
    audience: 'operational',
    title: "The target was written, but the vault's copy of the row could not be brought up to date.",
    hint: 'Collect the target system again (`provisio collect SYSTEM`): the collection brings the vault up to date.',
  },
  VLT_INVALID_AUDIT_FILTER: {
    audience: 'user',
    title: 'A filter of the audit search is not valid.',
    hint: 'Give times as ISO 8601 (`2026-12-04` or `2026-12-04T15:00:00Z`) and limits as positive whole numbers.',
  },
  VLT_UNKNOWN_ROLE_MODEL: {
    audience: 'user',
    title: 'No stored role model (active or history) has that id.',
    hint: '`provisio roles history` lists the active role model and the earlier ones with their ids.',
  },
  VLT_ROLE_MODEL_CONFLICT: {
    audience: 'operational',
    retry: 'safe',
    title: 'Another role model was activated at the same moment; this activation was not stored.',
    hint: 'Check `provisio roles history` for the model that is active now, then activate again if yours should be.',
  },
  VLT_SECRET_KEY_INVALID: {
    audience: 'user',
    title: 'The secret key is not 32 bytes written as base64 or hex.',
    hint: 'Make a key with `openssl rand -base64 32` and put it in PROVISIO_SECRET_KEY or in the key file (docs/secrets.md).',
  },
  VLT_SECRET_KEY_MISSING: {
    audience: 'user',
    title: 'No secret key is configured, so the secret store cannot be read.',
    hint: 'Set PROVISIO_SECRET_KEY or PROVISIO_SECRET_KEY_FILE, or restore the project key file .provisio/secret.key (docs/secrets.md).',
  },
  VLT_SECRET_KEY_EXPOSED: {
    audience: 'user',
    title: 'The secret key file can be read by group or others.',
    hint: 'Restrict it to its owner: chmod 600 KEYFILE.',
  },
  VLT_SECRET_WRONG_KEY: {
    audience: 'user',
    title: 'A secret was encrypted with another key than the current one.',
    hint: 'Use the key the secret was written with (compare the key ids), or set the secret again with `provisio secrets set NAME`.',
  },
  VLT_SECRET_TAMPERED: {
    audience: 'user',
    title: 'A stored secret failed its integrity check: its data was changed or copied from another name.',
    hint: 'Set the secret again with `provisio secrets set NAME`; find out who changed the vault table `secrets`.',
  },
  VLT_UNKNOWN_SECRET: {
    audience: 'user',
    title: 'The secret store has no secret of that name.',
    hint: 'Set it with `provisio secrets set NAME` (or PUT /api/secrets/NAME); `provisio secrets list` shows the names.',
  },
  VLT_SECRET_NAME_INVALID: {
    audience: 'user',
    title: 'A secret name is not valid.',
    hint: 'Use letters, digits, `_`, `.` and `-`, starting with a letter or `_` (at most 200 characters), as in ${secret:NAME}.',
  },
  VLT_SECRET_EMPTY: {
    audience: 'user',
    title: 'A secret value is empty.',
    hint: 'Give the value on stdin (`printf %s "$VALUE" | provisio secrets set NAME`) or with --from-env VAR.',
  },
})
