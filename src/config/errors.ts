/**
 * The configuration layer's error codes (DESIGN.md §11). Loading and validation never throw for bad
 * input: they return {@link Issue}s carrying these codes. Only {@link configError} calls at the edge
 * (`CFG_INVALID` when a caller insists on a valid project, `CFG_SECRET_UNRESOLVED` when a connection
 * is opened) throw.
 */
import { defineErrors, type ErrorSpec } from '../core/index.ts'

const specs = {
  CFG_PROJECT_NOT_FOUND: {
    audience: 'user',
    title: 'The project folder does not exist or is not a folder.',
    hint: 'Pass the folder that holds the YAML documents with --project <folder>.',
  },
  CFG_EMPTY_PROJECT: {
    audience: 'user',
    title: 'The project folder holds no YAML documents.',
    hint: 'Pass the folder that holds the *.yaml documents with --project <folder>, or add a System document.',
  },
  CFG_INVALID_ENCODING: {
    audience: 'user',
    title: 'A YAML file is not valid UTF-8.',
    hint: 'Save the file as UTF-8 (most editors offer this under "Save with encoding").',
  },
  CFG_YAML_SYNTAX: {
    audience: 'user',
    title: 'A YAML file cannot be parsed.',
    hint: 'Fix the YAML syntax at the position shown; check indentation, quotes and brackets.',
  },
  CFG_DUPLICATE_KEY: {
    audience: 'user',
    title: 'A mapping holds the same key twice.',
    hint: 'Remove or rename one of the two keys; YAML does not merge them.',
  },
  CFG_NOT_A_MAPPING: {
    audience: 'user',
    title: 'A YAML document is not a mapping of keys to values.',
    hint: 'Each document starts with `kind:` and `name:` lines; separate documents with `---`.',
  },
  CFG_UNKNOWN_KIND: {
    audience: 'user',
    title: 'A document has no `kind` or one Provisio does not know.',
    hint: 'Set `kind:` to one of the supported kinds, such as System.',
  },
  CFG_KIND_NOT_SUPPORTED: {
    audience: 'user',
    title: 'A document has a kind that this version of Provisio does not support yet.',
    hint: 'Remove the document or move it out of the project folder until a version that supports the kind.',
  },
  CFG_MISSING_NAME: {
    audience: 'user',
    title: 'A document has no `name`.',
    hint: 'Add `name:` with a name that starts with a letter and holds only letters, digits and underscores.',
  },
  CFG_INVALID_NAME: {
    audience: 'user',
    title: 'A document, table or column name is not a valid identifier.',
    hint: 'Use a name that starts with a letter and holds only letters, digits and underscores (hr_500).',
  },
  CFG_DUPLICATE_NAME: {
    audience: 'user',
    title: 'Two documents of the same kind have the same name.',
    hint: 'Rename one of them; names of one kind are unique regardless of case.',
  },
  CFG_UNKNOWN_KEY: {
    audience: 'user',
    title: 'A document holds a key that its kind does not allow.',
    hint: 'Remove the key or correct its spelling; keys are case-sensitive.',
  },
  CFG_MISSING_KEY: {
    audience: 'user',
    title: 'A required key is missing.',
    hint: 'Add the key shown in the path.',
  },
  CFG_INVALID_VALUE: {
    audience: 'user',
    title: 'A value has the wrong type or is out of range.',
    hint: 'Correct the value as the message describes.',
  },
  CFG_UNKNOWN_TABLE: {
    audience: 'user',
    title: 'A reference names a table the system does not declare.',
    hint: 'Use a table declared under `tables:` of the same system.',
  },
  CFG_UNKNOWN_COLUMN: {
    audience: 'user',
    title: 'A reference names a column the table does not declare.',
    hint: 'Use a column declared under `columns:` of that table.',
  },
  CFG_INVALID_RELATION: {
    audience: 'user',
    title: 'A relation does not connect a column to a key column of the same type.',
    hint: 'Point `to:` at the primary key or a reference key of the other table, with a column of the same type.',
  },
  CFG_UNKNOWN_SYSTEM: {
    audience: 'user',
    title: 'A reference names a system that the project does not declare.',
    hint: 'Use the name of a System document of the project (system.table or system.table.column).',
  },
  CFG_UNKNOWN_ALIAS: {
    audience: 'user',
    title: "A filter's output names a table alias that the filter does not define or whose columns are not attached.",
    hint: 'Use the alias of the start table or of an any, multiple or optional join (alias.column or alias.*).',
  },
  CFG_DUPLICATE_ALIAS: {
    audience: 'user',
    title: 'Two tables of a filter have the same alias, or an alias is also the name of a computed column.',
    hint: 'Give one of the tables its own alias with `table: system.table AS other`, or rename the computed column.',
  },
  CFG_UNKNOWN_RELATION: {
    audience: 'user',
    title: "A join's `via` names no relation of the joined systems and no Link.",
    hint: "Name a relation of the parent or joined table's system, or a Link document, or remove `via:` when only one connects the tables.",
  },
  CFG_NO_JOIN_PATH: {
    audience: 'user',
    title: 'No relation or link connects a joined table to its parent table.',
    hint: 'Declare a relation between the tables in their System, or a Link between their columns, or join through a table that is connected.',
  },
  CFG_AMBIGUOUS_JOIN: {
    audience: 'user',
    title: 'Several relations or links connect a joined table to its parent table.',
    hint: 'Say which one the join uses with `via: <relation or link name>`.',
  },
  CFG_TYPE_MISMATCH: {
    audience: 'user',
    title:
      'Two values that are compared have incompatible types (the columns of a link, a lookup value and its column).',
    hint: 'Compare columns of the same type, or convert one side with an expression (to_text(), to_integer()).',
  },
  CFG_INVALID_LINK: {
    audience: 'user',
    title: 'A link compares a multi-valued column, or a column with itself.',
    hint: 'Link two different single-valued columns, or normalise a multi-valued one with leftExpression or rightExpression.',
  },
  CFG_LINK_NOT_UNIQUE: {
    audience: 'user',
    title: 'A link column is neither the primary key nor a reference key of its table, so matches may multiply.',
    hint: 'Check the duplicates with `provisio link match <link>`; declare the column in referenceKeys if it is unique.',
  },
  CFG_UNKNOWN_DOCUMENT: {
    audience: 'user',
    title: 'A reference names a filter, generator or mapping that the project does not declare.',
    hint: 'Use the name of a document of that kind in the project; names match regardless of case.',
  },
  CFG_DUPLICATE_STEP: {
    audience: 'user',
    title:
      'A job runs the same mapping, or the memberships of the same system, in two steps (a warning: the second step plans against what the first wrote).',
    hint: 'Remove one of the steps, unless running it twice is intended.',
  },
  CFG_CONFLICTING_KEYS: {
    audience: 'user',
    title: 'Two keys that exclude each other are both given (groups and match, mapping and memberships).',
    hint: 'Keep one of the keys the message names and remove the other.',
  },
  CFG_DUPLICATE_ROLE_MODEL: {
    audience: 'user',
    title: 'The project holds more than one RoleModel document; a project has one development role model.',
    hint: "Put every role and role generator into one RoleModel document's `roles:` and `generators:` lists.",
  },
  CFG_DUPLICATE_ROLE: {
    audience: 'user',
    title: 'Two roles, or two role generators, of the role model have the same name.',
    hint: 'Rename one of them; role and generator names are unique regardless of case.',
  },
  CFG_DUPLICATE_GROUP: {
    audience: 'user',
    title: "A role item's `groups:` list names the same group twice (a warning: the group is granted once).",
    hint: 'Remove the repeated name; group names are compared without case.',
  },
  CFG_UNKNOWN_GENERATED_NAME: {
    audience: 'user',
    title:
      "A generator's expression uses generated.<name> for a name that is not generated before it (a later, unknown or its own name, or the password).",
    hint: 'Use only names declared above the expression under `names:`; reorder the names if needed.',
  },
  CFG_TEMPLATE_SYNTAX: {
    audience: 'user',
    title: "A Template's subject, text or html is not valid Liquid (an unclosed tag, an unknown filter or tag).",
    hint: 'Fix the Liquid at the position shown; docs/events.md lists the tags and variables templates may use.',
  },
  CFG_INSECURE_TRANSPORT: {
    audience: 'user',
    title:
      'A MailServer with `security: none` or a webhook with an http:// URL points at another machine: credentials and reports would cross the network in the clear.',
    hint: 'Use `security: starttls` or `tls` for the mail server, or an https:// URL for the webhook; plain connections are allowed only to 127.0.0.1, ::1 or localhost.',
  },
  CFG_PLAIN_SECRET: {
    audience: 'user',
    title: 'A secret is written as a plain value in a YAML document.',
    hint: 'Put the value in an environment variable and write `${env:NAME}` instead.',
  },
  CFG_SECRET_UNRESOLVED: {
    audience: 'operational',
    title: 'A `${env:NAME}` reference names an environment variable that is not set.',
    hint: 'Set the environment variable for the Provisio process (or in its service definition) and start again.',
  },
  CFG_DOCUMENT_NOT_FOUND: {
    audience: 'user',
    title: 'A file no longer holds the document a command was to replace (it changed while the command ran).',
    hint: 'Run the command again; it reads the file anew.',
  },
  CFG_NOT_ONE_DOCUMENT: {
    audience: 'user',
    title: 'A document text given to edit holds no YAML document, or more than one.',
    hint: 'Send the text of exactly one document; create the others one by one.',
  },
  CFG_INVALID: {
    audience: 'user',
    title: 'The project configuration has problems; the issues list each one.',
    hint: 'Fix each issue listed, then run again.',
  },
} as const satisfies Record<string, ErrorSpec>

/** Creates a configuration error; only accepts the codes above. */
export const configError = defineErrors('config', specs)

/** Every code the configuration layer may report. */
export type ConfigErrorCode = keyof typeof specs

/** The registry's hint for `code`, used when the reporting site has nothing more specific to say. */
export function defaultHint(code: ConfigErrorCode): string {
  return specs[code].hint
}
