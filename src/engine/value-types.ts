/**
 * Which expression types a function parameter (or key column) of a given type accepts. Nothing is
 * converted between a mapping's expression and the connector: the value an expression gives is the
 * value written. So a value fits only when it needs no conversion:
 *
 * - `null` fits every type (the attribute is cleared or left empty);
 * - a type fits itself;
 * - `integer` fits `number` (both are numbers; no value changes).
 *
 * Everything else (an integer into a string parameter, text into a date) is a type mismatch that
 * the expression resolves explicitly with a conversion function, so that what `provisio validate`
 * accepts is exactly what the planner writes and the update diff compares.
 */
import type { ColumnType } from '../core/index.ts'
import type { ExprType } from '../expr/index.ts'

/** Whether a value of type `value` may be written to a parameter or column of type `target` as it is. */
export function fitsType(value: ExprType, target: ColumnType): boolean {
  return value === 'null' || value === target || (value === 'integer' && target === 'number')
}

/** How to turn a value of type `value` into `target` in an expression, for hints. */
export function conversionHint(value: ExprType, target: ColumnType): string {
  switch (target) {
    case 'string':
      return value === 'string[]'
        ? "Join the values into one text with join(values, ';')."
        : value === 'date' || value === 'datetime'
          ? "Convert with to_text(value), or format_date(value, 'DD-MM-YYYY') for another format."
          : 'Convert with to_text(value).'
    case 'integer':
      return value === 'number'
        ? 'Round with round(value), floor(value) or ceil(value), which give integers.'
        : value === 'string'
          ? 'Convert with to_integer(text).'
          : 'Give an integer expression.'
    case 'number':
      return value === 'string'
        ? 'Convert with to_integer(text), or give a numeric column.'
        : 'Give a numeric expression.'
    case 'boolean':
      return "Give a condition, such as e.status = 'active'."
    case 'date':
      return value === 'datetime'
        ? 'Take the date with to_date(datetime).'
        : value === 'string'
          ? "Convert with to_date(text, 'YYYY-MM-DD'), or write a constant as date '2026-01-31'."
          : "Give a date expression, or a constant written date '2026-01-31'."
    case 'datetime':
      return "Give a datetime column, now(), or a constant written datetime '2026-01-31T10:00:00Z'."
    case 'string[]':
      return 'A multi-valued parameter takes a multi-valued column or a multi-valued generated name.'
  }
}
