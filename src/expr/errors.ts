/**
 * The expression layer's error codes (DESIGN.md §11). Every problem found in an expression's text
 * carries its position: the issue has `line`, `column` and an `excerpt` (see ./span.ts).
 */
import { defineErrors } from '../core/index.ts'

export const exprError = defineErrors('expr', {
  EXPR_SYNTAX: {
    audience: 'user',
    title: 'An expression is not well formed.',
    hint: 'Check the expression at the marked position; docs/expressions.md describes the syntax.',
  },
  EXPR_INVALID_LITERAL: {
    audience: 'user',
    title:
      'A literal in an expression is not a valid value (a date that does not exist, an integer that is too large).',
    hint: "Write dates as date 'YYYY-MM-DD', datetimes as datetime 'YYYY-MM-DDTHH:MM:SSZ', integers within ±9007199254740991.",
  },
  EXPR_UNKNOWN_COLUMN: {
    audience: 'user',
    title: 'An expression names a column that is not available where it is used.',
    hint: 'Use one of the columns of the tables the expression can see, as column or alias.column.',
  },
  EXPR_UNKNOWN_ALIAS: {
    audience: 'user',
    title: 'An expression names a table alias that is not available where it is used.',
    hint: 'Use one of the aliases the filter or mapping defines.',
  },
  EXPR_AMBIGUOUS_COLUMN: {
    audience: 'user',
    title: 'A column name without alias exists in more than one table the expression can see.',
    hint: 'Write alias.column to say which table you mean.',
  },
  EXPR_UNKNOWN_FUNCTION: {
    audience: 'user',
    title: 'An expression calls a function that does not exist.',
    hint: 'docs/expressions.md lists every function.',
  },
  EXPR_UNKNOWN_PARAMETER: {
    audience: 'user',
    title: 'An expression uses a :parameter that is not declared.',
    hint: 'Declare the parameter (with its type) in the filter, or fix its name.',
  },
  EXPR_ARGUMENT_COUNT: {
    audience: 'user',
    title: 'A function is called with too few or too many arguments.',
    hint: 'docs/expressions.md gives the signature of every function.',
  },
  EXPR_ARGUMENT_TYPE: {
    audience: 'user',
    title: 'A function argument has the wrong type.',
    hint: 'docs/expressions.md gives the argument types of every function; convert with to_text(), to_integer() or to_date().',
  },
  EXPR_CONSTANT_REQUIRED: {
    audience: 'user',
    title: 'A function argument must be written as a literal (a unit, a format, a regular expression).',
    hint: "Write the value itself, such as 'month' or 'YYYY-MM-DD', not a column or parameter.",
  },
  EXPR_INVALID_ARGUMENT: {
    audience: 'user',
    title: 'A literal function argument is not an accepted value (an unknown unit, format token or algorithm).',
    hint: 'docs/expressions.md lists the accepted values for each function.',
  },
  EXPR_INVALID_REGEX: {
    audience: 'user',
    title: 'A regular expression is invalid or uses syntax that the backends do not share.',
    hint: 'Use the portable regular-expression syntax described in docs/expressions.md.',
  },
  EXPR_TYPE_MISMATCH: {
    audience: 'user',
    title: 'An operator is applied to values of incompatible types (a date compared with a string).',
    hint: "Convert one side: date '2026-01-31' or to_date(text, 'YYYY-MM-DD') for dates, to_text() for text.",
  },
  EXPR_MISSING_PARAMETER_VALUE: {
    audience: 'user',
    title: 'An expression is compiled without a value for one of its :parameters.',
    hint: 'Give the parameter a value when running the filter.',
  },
  EXPR_INVALID_TIME_ZONE: {
    audience: 'user',
    title: 'The time zone given for today() and date formatting is not a known IANA time zone.',
    hint: "Use an IANA name such as 'Europe/Amsterdam' or 'UTC'.",
  },
})

/** The codes above, for tests and docs. */
export type ExprErrorCode = Parameters<typeof exprError>[0]
