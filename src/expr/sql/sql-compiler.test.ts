/**
 * The SQL each construct compiles to, for every dialect side by side (kysely's where.test.ts
 * style). Execution against the databases is proven by ../equivalence/equivalence.test.ts.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { isProvisioError } from '../../core/index.ts'
import { parseExpression } from '../parser.ts'
import type { Scope } from '../scope.ts'
import { typeCheck } from '../type-check.ts'
import { compileToSql } from './compile-to-sql.ts'
import type { SqlCompileContext } from './sql-compiler.ts'

const scope: Scope = {
  aliases: {
    e: {
      name: 'string',
      grade: 'integer',
      salary: 'number',
      active: 'boolean',
      birth_date: 'date',
      hired_at: 'datetime',
      groups: 'string[]',
    },
    d: { name: 'string' },
  },
  defaultAlias: 'e',
  parameters: { dept: 'string', min: 'integer' },
}

const context: SqlCompileContext = {
  columnSql: (alias, column) => `"${alias}"."${column}"`,
  paramValues: { dept: 'HR', min: 3 },
  now: new Date('2026-03-28T23:30:00Z'),
  timeZone: 'Europe/Amsterdam',
}

type Expected = readonly [sql: string, params: readonly unknown[]]
interface CompilerCase {
  readonly expr: string
  readonly sqlite: Expected
  readonly postgres: Expected
}

const cases: readonly CompilerCase[] = [
  { expr: "name = 'Ann'", sqlite: ['("e"."name" = ?)', ['Ann']], postgres: ['("e"."name" = $1::text)', ['Ann']] },
  {
    expr: 'grade > 3 and not active or salary <= 1.5',
    sqlite: ['((("e"."grade" > ?) AND (NOT "e"."active")) OR ("e"."salary" <= ?))', [3n, 1.5]],
    postgres: ['((("e"."grade" > $1::int8) AND (NOT "e"."active")) OR ("e"."salary" <= $2::float8))', [3, 1.5]],
  },
  {
    expr: 'name < d.name',
    sqlite: ['("e"."name" < "d"."name")', []],
    postgres: ['(("e"."name") COLLATE "C" < "d"."name")', []],
  },
  {
    expr: "name in ('a', 'b') and grade not in (1, null)",
    sqlite: ['(("e"."name" IN (?, ?)) AND ("e"."grade" NOT IN (?, NULL)))', ['a', 'b', 1n]],
    postgres: [
      '(("e"."name" IN ($1::text, $2::text)) AND ("e"."grade" NOT IN ($3::int8, CAST(NULL AS int8))))',
      ['a', 'b', 1],
    ],
  },
  {
    expr: 'grade / 2',
    sqlite: ['(CAST("e"."grade" AS REAL) / ?)', [2n]],
    postgres: ['(("e"."grade")::float8 / NULLIF(($1::int8)::float8, 0))', [2]],
  },
  {
    expr: "name || '-' || grade",
    sqlite: ['(("e"."name" || ?) || "e"."grade")', ['-']],
    postgres: ['(("e"."name" || $1::text) || ("e"."grade")::text)', ['-']],
  },
  {
    expr: "name like 'A%_\\%*'",
    sqlite: ['("e"."name" GLOB ?)', ['A*?%[*]']],
    postgres: ['("e"."name" LIKE $1::text)', ['A%_\\%*']],
  },
  {
    expr: 'name not like d.name',
    sqlite: ['(NOT provisio_like("e"."name", "d"."name"))', []],
    postgres: ['("e"."name" NOT LIKE "d"."name")', []],
  },
  {
    expr: 'name is null or birth_date is not null',
    sqlite: ['(("e"."name" IS NULL) OR ("e"."birth_date" IS NOT NULL))', []],
    postgres: ['(("e"."name" IS NULL) OR ("e"."birth_date" IS NOT NULL))', []],
  },
  { expr: 'active = true', sqlite: ['("e"."active" = ?)', [1n]], postgres: ['("e"."active" = $1::boolean)', [true]] },
  {
    expr: "birth_date >= date '2026-01-31' and hired_at < datetime '2026-01-31T10:00:00+01:00'",
    sqlite: ['(("e"."birth_date" >= ?) AND ("e"."hired_at" < ?))', ['2026-01-31', '2026-01-31T09:00:00.000Z']],
    postgres: [
      '(("e"."birth_date" >= $1::date) AND ("e"."hired_at" < $2::timestamptz))',
      ['2026-01-31', '2026-01-31T09:00:00.000Z'],
    ],
  },
  {
    expr: "case grade when 1 then 'one' else null end",
    sqlite: ['CASE "e"."grade" WHEN ? THEN ? ELSE NULL END', [1n, 'one']],
    postgres: ['CASE "e"."grade" WHEN $1::int8 THEN $2::text ELSE CAST(NULL AS text) END', [1, 'one']],
  },
  {
    expr: 'if(active, 1, 0)',
    sqlite: ['CASE WHEN "e"."active" THEN ? ELSE ? END', [1n, 0n]],
    postgres: ['CASE WHEN "e"."active" THEN $1::int8 ELSE $2::int8 END', [1, 0]],
  },
  { expr: '-grade', sqlite: ['(-"e"."grade")', []], postgres: ['(-"e"."grade")', []] },
  {
    expr: 'lower(name)',
    sqlite: ['provisio_lower("e"."name")', []],
    postgres: ['lower(("e"."name") COLLATE "und-x-icu")', []],
  },
  {
    expr: 'trim(name)',
    sqlite: ['trim("e"."name", ?)', [' \t\n\r\v\f\u00a0']],
    postgres: ['btrim("e"."name", $1::text)', [' \t\n\r\v\f\u00a0']],
  },
  {
    expr: 'substr(name, 2, 3)',
    sqlite: ['provisio_substr("e"."name", ?, ?)', [2n, 3n]],
    postgres: [
      'substr("e"."name", ($1::int8)::int, CASE WHEN ($2::int8) < 0 THEN 0 ELSE ($3::int8)::int END)',
      [2, 3, 3],
    ],
  },
  {
    expr: 'coalesce(null, name)',
    sqlite: ['coalesce(NULL, "e"."name")', []],
    postgres: ['coalesce(CAST(NULL AS text), "e"."name")', []],
  },
  {
    expr: 'concat(name, null, grade)',
    sqlite: ['concat("e"."name", NULL, "e"."grade")', []],
    postgres: ['concat("e"."name", CAST(NULL AS text), "e"."grade")', []],
  },
  {
    expr: "starts_with(name, 'A')",
    sqlite: ['(instr("e"."name", ?) = 1)', ['A']],
    postgres: ['starts_with("e"."name", $1::text)', ['A']],
  },
  {
    expr: "split(name, ' ', 2)",
    sqlite: ['provisio_split("e"."name", ?, ?)', [' ', 2n]],
    postgres: ['CASE WHEN ($1::int8) >= 1 THEN split_part("e"."name", $2::text, ($3::int8)::int) END', [2, ' ', 2]],
  },
  {
    expr: "contains(groups, 'admins')",
    sqlite: ['provisio_array_contains("e"."groups", ?)', ['admins']],
    postgres: ['(("e"."groups")::jsonb @> to_jsonb($1::text))', ['admins']],
  },
  {
    expr: "date_add(birth_date, 1, 'month')",
    sqlite: ['provisio_date_add("e"."birth_date", ?, ?)', [1n, 'month']],
    postgres: ['(("e"."birth_date") + make_interval(months => ($1::int8)::int))::date', [1]],
  },
  {
    expr: "date_add(birth_date, -1, 'day')",
    sqlite: ['provisio_date_add("e"."birth_date", ?, ?)', [-1n, 'day']],
    postgres: ['(("e"."birth_date") + ($1::int8)::int)', [-1]],
  },
  {
    expr: "date_add(hired_at, 90, 'minute')",
    sqlite: ['provisio_datetime_add("e"."hired_at", ?, ?)', [90n, 'minute']],
    postgres: [
      `(((("e"."hired_at") AT TIME ZONE 'UTC') + make_interval(mins => ($1::int8)::int)) AT TIME ZONE 'UTC')`,
      [90],
    ],
  },
  {
    expr: "date_diff('year', birth_date, today())",
    sqlite: ['provisio_date_diff(?, "e"."birth_date", ?)', ['year', '2026-03-29']],
    postgres: ['extract(year from age($1::date, "e"."birth_date"))::int', ['2026-03-29']],
  },
  {
    expr: 'year(hired_at)',
    sqlite: ['provisio_datetime_part(?, "e"."hired_at", ?)', ['year', 'Europe/Amsterdam']],
    postgres: ['extract(year from ("e"."hired_at") AT TIME ZONE $1::text)::int', ['Europe/Amsterdam']],
  },
  {
    expr: 'year(birth_date)',
    sqlite: ['CAST(substr("e"."birth_date", 1, 4) AS INTEGER)', []],
    postgres: ['extract(year from "e"."birth_date")::int', []],
  },
  {
    expr: "format_date(hired_at, 'DD-MM-YYYY HH:mm')",
    sqlite: ['provisio_format_datetime("e"."hired_at", ?, ?)', ['DD-MM-YYYY HH:mm', 'Europe/Amsterdam']],
    postgres: [
      'to_char(("e"."hired_at") AT TIME ZONE $1::text, $2::text)',
      ['Europe/Amsterdam', 'DD"-"MM"-"YYYY" "HH24":"MI'],
    ],
  },
  {
    expr: "regex_match(name, '^\\w+\\b')",
    sqlite: ['provisio_regex_match("e"."name", ?)', ['^\\w+\\b']],
    postgres: ['(("e"."name") COLLATE "C" ~ $1::text)', ['^\\w+\\y']],
  },
  {
    expr: "regex_replace(name, '(\\w+) (\\w+)', '$2, $1')",
    sqlite: ['provisio_regex_replace("e"."name", ?, ?)', ['(\\w+) (\\w+)', '$2, $1']],
    postgres: [`regexp_replace(("e"."name") COLLATE "C", $1::text, $2::text, 'g')`, ['(\\w+) (\\w+)', '\\2, \\1']],
  },
  {
    expr: 'hash(name)',
    sqlite: ['provisio_sha256("e"."name")', []],
    postgres: [`encode(sha256(convert_to("e"."name", 'UTF8')), 'hex')`, []],
  },
  {
    expr: "hash(name, 'md5')",
    sqlite: ['provisio_md5("e"."name")', []],
    postgres: [`md5(convert_to("e"."name", 'UTF8'))`, []],
  },
  {
    expr: 'name = :dept and grade >= :min',
    sqlite: ['(("e"."name" = ?) AND ("e"."grade" >= ?))', ['HR', 3n]],
    postgres: ['(("e"."name" = $1::text) AND ("e"."grade" >= $2::int8))', ['HR', 3]],
  },
  {
    expr: 'to_text(active)',
    sqlite: [`CASE WHEN "e"."active" THEN 'true' WHEN NOT "e"."active" THEN 'false' END`, []],
    postgres: [`CASE WHEN "e"."active" THEN 'true' WHEN NOT "e"."active" THEN 'false' END`, []],
  },
]

describe('compileToSql', () => {
  for (const c of cases) {
    it(`compiles ${c.expr}`, () => {
      const typed = typeCheck(parseExpression(c.expr), scope)
      const sqlite = compileToSql(typed, 'sqlite', context)
      const postgres = compileToSql(typed, 'postgres', context)
      assert.deepEqual(
        { sqlite: [sqlite.sql, sqlite.params], postgres: [postgres.sql, postgres.params] },
        { sqlite: c.sqlite, postgres: c.postgres },
      )
    })
  }

  it('numbers PostgreSQL placeholders after paramOffset so the fragment fits a larger statement', () => {
    const typed = typeCheck(parseExpression("name = 'a' or grade = 2"), scope)
    assert.equal(
      compileToSql(typed, 'postgres', { ...context, paramOffset: 4 }).sql,
      '(("e"."name" = $5::text) OR ("e"."grade" = $6::int8))',
    )
  })

  it('uses the caller’s paramSql hook instead of binding parameter values', () => {
    const typed = typeCheck(parseExpression('name = :dept'), scope)
    const compiled = compileToSql(typed, 'postgres', {
      columnSql: context.columnSql,
      paramSql: (name) => `"params"."${name}"`,
    })
    assert.deepEqual([compiled.sql, compiled.params], ['("e"."name" = "params"."dept")', []])
  })

  it('stores string[] parameters as JSON text', () => {
    const typed = typeCheck(parseExpression("contains(:groups, 'x')"), {
      aliases: {},
      parameters: { groups: 'string[]' },
    })
    assert.deepEqual(
      compileToSql(typed, 'sqlite', { columnSql: context.columnSql, paramValues: { groups: ['x', 'y'] } }).params,
      ['["x","y"]', 'x'],
    )
  })

  it('fails with EXPR_MISSING_PARAMETER_VALUE when a parameter has no value', () => {
    const typed = typeCheck(parseExpression('name = :dept'), scope)
    assert.throws(
      () => compileToSql(typed, 'sqlite', { columnSql: context.columnSql }),
      (error) =>
        isProvisioError(error) &&
        error.code === 'EXPR_MISSING_PARAMETER_VALUE' &&
        error.message === "No value was given for the parameter ':dept'.",
    )
  })

  it('fails with EXPR_INVALID_TIME_ZONE for an unknown time zone', () => {
    const typed = typeCheck(parseExpression('today()'), scope)
    assert.throws(
      () => compileToSql(typed, 'postgres', { columnSql: context.columnSql, timeZone: 'Europe/Atlantis' }),
      (error) => isProvisioError(error) && error.code === 'EXPR_INVALID_TIME_ZONE',
    )
  })
})
