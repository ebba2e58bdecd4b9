/**
 * The engine layer's error codes (DESIGN.md §11): mappings, generators, planning and execution.
 * Configuration problems found by the engine's checks (a mapping against its function) are
 * positioned issues with these codes; run-time failures are thrown with them.
 */
import { defineErrors } from '../core/index.ts'

export const engineError = defineErrors('engine', {
  ENG_UNKNOWN_MAPPING: {
    audience: 'user',
    title: 'No mapping of the project has the name given.',
    hint: 'Use the name of a Mapping document; `provisio validate` lists the problems of the project.',
  },
  ENG_PLAN_NOT_EXECUTABLE: {
    audience: 'user',
    title: 'The plan cannot be executed in its state (stopped by a threshold, or already executed).',
    hint: 'Evaluate again to make a fresh plan; `provisio plan show ID` shows its state.',
  },
  ENG_DUPLICATE_TARGET: {
    audience: 'user',
    title: "A mapping's filter gives more than one row for the same target row; only the first is planned.",
    hint: 'Make the filter give one row per target row (for example keep only the latest contract with a `none` join on later ones).',
  },
  ENG_NO_TARGET_ROW: {
    audience: 'user',
    title: "The target row a mapping's key points at is not in the vault.",
    hint: "Collect the target system again, or check that the key expression gives the target table's key.",
  },
  ENG_NO_KEY: {
    audience: 'user',
    title: "A mapping's key expression gave no value for a row.",
    hint: 'Make the filter join the target row (`mode: any`) so that the key column is never empty.',
  },
  ENG_VALUE_TYPE: {
    audience: 'user',
    title: "A mapped value cannot be converted to its parameter's type.",
    hint: 'Fix the attribute expression, or the source data the message names.',
  },
  ENG_VALUE_FAILED: {
    audience: 'user',
    title: 'An attribute expression failed for a row (for example a date that does not parse).',
    hint: 'Fix the attribute expression or the source data the message names.',
  },
  ENG_TARGET_CHANGED: {
    audience: 'operational',
    title: 'The target row changed since the plan was made; the operation was skipped.',
    hint: 'Evaluate again: the new plan starts from the changed row.',
  },
  ENG_IN_DOUBT: {
    audience: 'operational',
    title: 'A crash left the operation in doubt and the target could not confirm it; it was recorded as skipped.',
    hint: 'Run the job again: the next evaluation plans it again if it is still needed.',
  },
  ENG_UNKNOWN_GENERATOR: {
    audience: 'user',
    title: 'No name or password generator of the project has the name given.',
    hint: 'Use the name of a NameGenerator or PasswordGenerator document.',
  },
  ENG_MAPPING_UNRESOLVED: {
    audience: 'bug',
    title: 'A validated mapping refers to a system, table, function, parameter or filter that cannot be found.',
    hint: 'Run `provisio validate`; if it reports nothing, report this as a bug with the mapping document.',
  },
  ENG_READ_ONLY_SYSTEM: {
    audience: 'user',
    title: "A mapping targets a table whose system's connector offers no functions (the system is read-only).",
    hint: 'Target a system whose connector can write (such as sql), or remove the mapping.',
  },
  ENG_UNKNOWN_FUNCTION: {
    audience: 'user',
    title: "A mapping's function is not one the connector offers on the target table.",
    hint: 'Use one of the functions the message lists for the table.',
  },
  ENG_MISSING_ATTRIBUTE: {
    audience: 'user',
    title: "A mapping gives no attribute for one or more of its function's mandatory parameters.",
    hint: 'Add a line `<parameter>: <expression>` under `attributes:` for each parameter named.',
  },
  ENG_UNKNOWN_ATTRIBUTE: {
    audience: 'user',
    title: "A mapping's attribute names no parameter of its function.",
    hint: "Use the name of one of the function's parameters (names are case-sensitive), or remove the attribute.",
  },
  ENG_PROHIBITED_ATTRIBUTE: {
    audience: 'user',
    title: 'A mapping gives an attribute for a parameter that its function prohibits.',
    hint: 'Remove the attribute; the function does not accept a value for it.',
  },
  ENG_TYPE_MISMATCH: {
    audience: 'user',
    title: "A mapping's attribute or key expression has a type that does not fit its parameter or key column.",
    hint: 'Convert the value in the expression (to_text(), to_integer(), to_date(), round()) to the type named.',
  },
  ENG_SECRET_NOT_GENERATED: {
    audience: 'user',
    title: 'A secret parameter (a password) gets a value that does not come from the password generator.',
    hint: 'Use generated.password with a passwordGenerator; a password from a filter column is stored in the vault.',
  },
  ENG_NAME_GENERATOR_NOT_CREATE: {
    audience: 'user',
    title: 'A mapping whose function is not a create has a name generator; generated names are for new rows only.',
    hint: 'Compute the new name with an expression over the filter row, or use a create mapping.',
  },
  ENG_PASSWORD_NOT_SECRET: {
    audience: 'user',
    title:
      'A generated password is used for a parameter that is not secret, or in the key: it would land in plans and the audit.',
    hint: 'Use generated.password only for the secret parameter of the function (the password).',
  },
  ENG_MISSING_KEY: {
    audience: 'user',
    title: 'A mapping whose function is not a create has no `key:` to find the target row with.',
    hint: "Add `key: <expression>` giving the value of the function's key column for each filter row.",
  },
  ENG_UNEXPECTED_KEY: {
    audience: 'user',
    title: 'A mapping whose function creates rows has a `key:`; a create has no target row to find.',
    hint: 'Remove `key:`; give the new row its key as an attribute when the function takes one.',
  },
  ENG_NO_KEY_COLUMN: {
    audience: 'user',
    title:
      "A mapping's function finds its target row by key, but the target table has no primary key and the function names no key column.",
    hint: 'Declare `primaryKey:` for the table in its System document.',
  },
  ENG_UNKNOWN_GENERATED_NAME: {
    audience: 'user',
    title: "A mapping's expression uses generated.<name> for a name its generators do not produce.",
    hint: "Use a name of the mapping's nameGenerator, or generated.password with a passwordGenerator.",
  },
  ENG_INVALID_GENERATOR: {
    audience: 'user',
    title: "A name or password generator's expressions do not type-check against the filter row it is used with.",
    hint: 'Fix the expressions the issues list (`provisio validate` shows them in the YAML), then run again.',
  },
  ENG_NAMES_EXHAUSTED: {
    audience: 'user',
    title: 'Every method and counter value of a generated name is taken for one row; that row gets no operation.',
    hint: 'Add a method or raise iteration.max for the name, or free a value in the uniqueIn columns; the other rows go on.',
  },
  ENG_NAME_EMPTY: {
    audience: 'user',
    title: 'Every method of a generated name gives an empty value for one row; that row gets no operation.',
    hint: 'Fill in the source columns the methods read, or add a method that does not depend on them.',
  },
  ENG_NAME_TAKEN: {
    audience: 'user',
    title: 'A value of a multi-valued generated name (a proxy address) is already taken; that row gets no operation.',
    hint: 'Free the value in the uniqueIn columns, or change the methods of the name so that its values are unique.',
  },
  ENG_UNIQUENESS_NOT_COLLECTED: {
    audience: 'user',
    title:
      "A generated name's uniqueIn column lies in a table that was never collected, so uniqueness cannot be checked.",
    hint: 'Collect the system first (`provisio collect <system>`); names are never generated without their uniqueness check.',
  },
  ENG_INVALID_FILTER: {
    audience: 'user',
    title: "A mapping's or a role model's filter cannot be compiled, so its expressions cannot be checked.",
    hint: 'Fix the filter (`provisio filter explain <filter>` shows its problems), then validate again.',
  },
  ENG_NO_MEMBERSHIPS_TABLE: {
    audience: 'user',
    title:
      "A role item's system has no table whose functions add and remove memberships (semantics membership-add and membership-remove).",
    hint: 'Declare the memberships table in the System (LDAP: a table with columns group and member; SQL: a table with options.memberships), or target another system.',
  },
  ENG_AMBIGUOUS_MEMBERSHIPS_TABLE: {
    audience: 'user',
    title: "Several tables of a role item's system add and remove memberships, and the item does not say which.",
    hint: 'Name one with `membershipsTable:` in the role item.',
  },
  ENG_NO_MEMBERSHIP_FUNCTIONS: {
    audience: 'user',
    title:
      "A role item's memberships table lacks a membership-add or membership-remove function taking the parameters group and member.",
    hint: "Name the system's memberships table in `membershipsTable:`, or leave it out to use the only one.",
  },
  ENG_UNKNOWN_MEMBER_COLUMN: {
    audience: 'user',
    title: "A role item's `member` is not an output column of its member filter.",
    hint: "Name the member filter's output column that holds the member's key as the memberships table holds it (u.dn).",
  },
  ENG_NO_ACTIVE_ROLE_MODEL: {
    audience: 'user',
    title: 'A memberships step needs the active role model, and none has been activated.',
    hint: 'Review the development model with `provisio roles diff`, then `provisio roles activate`.',
  },
  ENG_NO_DEVELOPMENT_MODEL: {
    audience: 'user',
    title: 'The project has no valid RoleModel document (the development model).',
    hint: 'Write one (docs/roles.md), or restore one from history with `provisio roles restore ID`.',
  },
  ENG_ROLE_MODEL_INVALID: {
    audience: 'user',
    title: 'A role model does not pass its checks against the project as it is now.',
    hint: 'Run `provisio validate`; fix the project or the model, then activate it again.',
  },
  ENG_ROLE_MODEL_UNRESOLVED: {
    audience: 'user',
    title: 'A role model names a filter, table or function the project no longer has.',
    hint: 'Run `provisio validate`; fix the project or activate a corrected model.',
  },
  ENG_UNKNOWN_ROLE: {
    audience: 'user',
    title: 'No role of the role model has the name given.',
    hint: '`provisio roles inspect --group NAME` or `--member KEY` shows the roles there are.',
  },
})

export type EngineErrorCode = Parameters<typeof engineError>[0]
