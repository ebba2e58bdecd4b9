/**
 * The filters layer's error codes (DESIGN.md §11). Problems in a filter's configuration are
 * reported as positioned issues by checkFilter(); compileFilter() throws one of these codes with
 * every issue attached.
 */
import { defineErrors } from '../core/index.ts'

export const filterError = defineErrors('filters', {
  FLT_UNKNOWN_FILTER: {
    audience: 'user',
    title: 'No filter of the project has the name given.',
    hint: 'Use the name of a Filter document; `provisio validate` lists the problems of the project.',
  },
  FLT_UNKNOWN_LINK: {
    audience: 'user',
    title: 'No link of the project has the name given.',
    hint: 'Use the name of a Link document of the project.',
  },
  FLT_UNKNOWN_TABLE: {
    audience: 'user',
    title: 'A filter or link names a table that no System document of the project declares.',
    hint: 'Write SYSTEM.TABLE as declared in the System document (names are case-sensitive).',
  },
  FLT_UNKNOWN_COLUMN: {
    audience: 'user',
    title: 'A link or lookup names a column that its table does not have.',
    hint: 'Write SYSTEM.TABLE.COLUMN with a column declared in the System document.',
  },
  FLT_NO_PATH: {
    audience: 'user',
    title: 'No relation or link connects a joined table to its parent table.',
    hint: 'Declare a relation in the System document or a Link between the two tables, or join through a table that is connected.',
  },
  FLT_AMBIGUOUS_PATH: {
    audience: 'user',
    title: 'More than one relation or link connects a joined table to its parent table.',
    hint: 'Name the one to use with `via:`; the message lists the candidates.',
  },
  FLT_UNKNOWN_VIA: {
    audience: 'user',
    title: 'The `via:` of a join names no relation or link.',
    hint: 'Use the name of a relation of the System document or of a Link; the message lists those that connect the tables.',
  },
  FLT_DUPLICATE_NAME: {
    audience: 'user',
    title: 'Two aliases, computed columns or lookups of a filter share a name.',
    hint: 'Give every alias, computed column and lookup of the filter its own name.',
  },
  FLT_INVALID_EXPRESSION: {
    audience: 'user',
    title: 'An expression of a filter or link (a where, a computed column, a lookup value, a normaliser) is not valid.',
    hint: 'Fix the expression at the position shown; docs/expressions.md lists the operators and functions.',
  },
  FLT_TYPE_MISMATCH: {
    audience: 'user',
    title: 'The two sides of a link or a lookup have types that cannot be compared.',
    hint: 'Compare columns of the same type, or convert one side with a normalising expression (to_text(), to_integer()).',
  },
  FLT_INVALID_OUTPUT: {
    audience: 'user',
    title: 'An output column of a filter names no column of an attached table or computed column.',
    hint: 'Write alias.column, alias.* or the name of a computed column; tables joined with none or all attach no columns.',
  },
  FLT_MISSING_PARAMETER: {
    audience: 'user',
    title: 'A filter parameter has no default and the run gave no value for it.',
    hint: 'Give the value when running the filter (`--param NAME=VALUE`), or declare a default.',
  },
  FLT_INVALID_PARAMETER: {
    audience: 'user',
    title: "A parameter value does not parse as the parameter's type.",
    hint: 'Write integers as 42, numbers as 2.5, booleans as true or false, dates as YYYY-MM-DD, datetimes as YYYY-MM-DDTHH:MM:SSZ, lists as JSON arrays.',
  },
  FLT_UNKNOWN_PARAMETER: {
    audience: 'user',
    title: 'A run gives a value for a parameter the filter does not declare.',
    hint: 'Use one of the parameters the filter declares, or declare the parameter in the filter.',
  },
  FLT_NOT_COLLECTED: {
    audience: 'user',
    title: 'A table the filter or link uses has never been collected, or was collected before the data model changed.',
    hint: 'Run `provisio collect SYSTEM` for the system named in the message, then run the filter again.',
  },
  FLT_MULTIPLICATION: {
    audience: 'user',
    title: 'The joins of a filter give more output rows per start row than its maxMultiplication allows (a warning).',
    hint: 'Check that the joins use the right relations or links and narrow them with where conditions, or raise maxMultiplication.',
  },
})

/** The codes above, for tests and docs. */
export type FilterErrorCode = Parameters<typeof filterError>[0]
