/** Functions on multi-valued (string[]) columns, stored as JSON text arrays. See also length() and contains(). */
import { sql } from '../sql/fragment.ts'
import { joinArray } from '../runtime/strings.ts'
import { type FunctionDefinition, p } from './definition.ts'
import { at, list, str, udf } from './helpers.ts'

export const ARRAY_FUNCTIONS: readonly FunctionDefinition[] = [
  {
    name: 'join',
    family: 'array',
    signatures: [{ params: [p('values', 'string[]'), p('separator', 'string')], returns: 'string' }],
    summary:
      'The values of a multi-valued column joined with `separator`, in stored order; an empty list gives an empty string.',
    nulls: 'Null if the column or the separator is null.',
    examples: [],
    js: ([values, sep]) => joinArray(list(values), str(sep)),
    sql: {
      sqlite: udf('provisio_join'),
      // https://www.postgresql.org/docs/current/functions-json.html (jsonb_array_elements_text WITH ORDINALITY keeps the order)
      postgres: (args) => {
        const [values, sep] = [at(args, 0), at(args, 1)]
        const joined = sql`(SELECT string_agg(provisio_e.v, ${sep} ORDER BY provisio_e.n) FROM jsonb_array_elements_text((${values})::jsonb) WITH ORDINALITY AS provisio_e(v, n))`
        return sql`CASE WHEN (${values}) IS NULL OR (${sep}) IS NULL THEN NULL ELSE coalesce(${joined}, '') END`
      },
    },
  },
]
