/**
 * One case per behaviour of the filter compiler (kysely's where.test.ts style): a filter, the exact
 * SQL and parameters it compiles to on SQLite and on PostgreSQL side by side, and the rows it gives
 * on the fixtures of ./test-fixtures.ts (values in output order). filter-compiler.test.ts checks the
 * SQL and runs every case on every vault database.
 */
import type { Value } from '../core/index.ts'
import type { ParameterValues } from './parameters.ts'
import type { FilterSpec } from './test-fixtures.ts'

export interface FilterCase {
  /** The behaviour, as a sentence. */
  readonly name: string
  readonly filter: FilterSpec
  /** The run's parameter values. @default {} */
  readonly params?: ParameterValues
  readonly sqlite: readonly [sql: string, params: readonly unknown[]]
  readonly postgres: readonly [sql: string, params: readonly unknown[]]
  /** The rows, each as its values in output order. */
  readonly rows: readonly (readonly Value[])[]
}

/** SQL lines joined as the compiler joins its clauses. */
export const lines = (...text: string[]) => text.join('\n')

/** The join modes. */
export const JOIN_CASES: readonly FilterCase[] = [
  {
    name: 'any: joins the matches and gives one row per match',
    filter: { joins: [{ table: 'hr.contracts AS c', mode: 'any' }], output: ['e.employee_id', 'c.contract_id'] },
    sqlite: [
      lines(
        'SELECT "e"."employee_id" AS "e.employee_id", "c"."contract_id" AS "c.contract_id"',
        'FROM "hr__employees" AS "e"',
        'INNER JOIN "hr__contracts" AS "c" ON ("e"."employee_id" = "c"."employee_id")',
        'ORDER BY "e"."_rid", "c"."_rid"',
      ),
      [],
    ],
    postgres: [
      lines(
        'SELECT "e"."employee_id" AS "e.employee_id", "c"."contract_id" AS "c.contract_id"',
        'FROM "hr__employees" AS "e"',
        'INNER JOIN "hr__contracts" AS "c" ON ("e"."employee_id" = "c"."employee_id")',
        'ORDER BY "e"."_rid", "c"."_rid"',
      ),
      [],
    ],
    rows: [
      ['E001', 'C1'],
      ['E002', 'C2'],
      ['E002', 'C3'],
      ['E003', 'C4'],
      ['E004', 'C5'],
      ['E004', 'C6'],
    ],
  },
  {
    name: "any: puts the item's where in the ON clause",
    filter: {
      joins: [{ table: 'hr.contracts AS c', mode: 'any', where: 'end_date is null' }],
      output: ['e.employee_id', 'c.job_title'],
    },
    sqlite: [
      lines(
        'SELECT "e"."employee_id" AS "e.employee_id", "c"."job_title" AS "c.job_title"',
        'FROM "hr__employees" AS "e"',
        'INNER JOIN "hr__contracts" AS "c" ON ("e"."employee_id" = "c"."employee_id") AND ("c"."end_date" IS NULL)',
        'ORDER BY "e"."_rid", "c"."_rid"',
      ),
      [],
    ],
    postgres: [
      lines(
        'SELECT "e"."employee_id" AS "e.employee_id", "c"."job_title" AS "c.job_title"',
        'FROM "hr__employees" AS "e"',
        'INNER JOIN "hr__contracts" AS "c" ON ("e"."employee_id" = "c"."employee_id") AND ("c"."end_date" IS NULL)',
        'ORDER BY "e"."_rid", "c"."_rid"',
      ),
      [],
    ],
    rows: [
      ['E001', 'Controller'],
      ['E002', 'Lead Developer'],
      ['E004', 'Assistant'],
    ],
  },
  {
    name: 'optional: keeps every row and attaches nulls where nothing matches',
    filter: {
      joins: [{ table: 'hr.contracts AS c', mode: 'optional', where: 'c.end_date is null' }],
      output: ['e.employee_id', 'c.contract_id'],
    },
    sqlite: [
      lines(
        'SELECT "e"."employee_id" AS "e.employee_id", "c"."contract_id" AS "c.contract_id"',
        'FROM "hr__employees" AS "e"',
        'LEFT JOIN "hr__contracts" AS "c" ON ("e"."employee_id" = "c"."employee_id") AND ("c"."end_date" IS NULL)',
        'ORDER BY "e"."_rid", "c"."_rid"',
      ),
      [],
    ],
    postgres: [
      lines(
        'SELECT "e"."employee_id" AS "e.employee_id", "c"."contract_id" AS "c.contract_id"',
        'FROM "hr__employees" AS "e"',
        'LEFT JOIN "hr__contracts" AS "c" ON ("e"."employee_id" = "c"."employee_id") AND ("c"."end_date" IS NULL)',
        'ORDER BY "e"."_rid", "c"."_rid"',
      ),
      [],
    ],
    rows: [
      ['E001', 'C1'],
      ['E002', 'C3'],
      ['E003', null],
      ['E004', 'C6'],
      ['E005', null],
    ],
  },
  {
    name: 'none: keeps rows without a match, through a case-insensitive link',
    filter: { joins: [{ table: 'dir.users AS u', mode: 'none', via: 'employee_account' }], output: ['e.employee_id'] },
    sqlite: [
      lines(
        'WITH "u#k" AS MATERIALIZED (SELECT "u".*, provisio_lower("u"."employeeID") AS "#k" FROM "dir__users" AS "u")',
        'SELECT "e"."employee_id" AS "e.employee_id"',
        'FROM "hr__employees" AS "e"',
        'WHERE NOT EXISTS (SELECT 1 FROM "u#k" AS "u" WHERE (provisio_lower("e"."employee_id") = "u"."#k"))',
        'ORDER BY "e"."_rid"',
      ),
      [],
    ],
    postgres: [
      lines(
        'SELECT "e"."employee_id" AS "e.employee_id"',
        'FROM "hr__employees" AS "e"',
        'WHERE NOT EXISTS (SELECT 1 FROM "dir__users" AS "u" WHERE (lower(("e"."employee_id") COLLATE "und-x-icu") = lower(("u"."employeeID") COLLATE "und-x-icu")))',
        'ORDER BY "e"."_rid"',
      ),
      [],
    ],
    rows: [['E003'], ['E005']],
  },
  {
    name: 'any through a case-insensitive link: on SQLite the key is a column of a materialized CTE, so it is indexed',
    filter: {
      joins: [{ table: 'dir.users AS u', mode: 'any', via: 'employee_account' }],
      output: ['e.employee_id', 'u.dn'],
    },
    sqlite: [
      lines(
        'WITH "u#k" AS MATERIALIZED (SELECT "u".*, provisio_lower("u"."employeeID") AS "#k" FROM "dir__users" AS "u")',
        'SELECT "e"."employee_id" AS "e.employee_id", "u"."dn" AS "u.dn"',
        'FROM "hr__employees" AS "e"',
        'INNER JOIN "u#k" AS "u" ON (provisio_lower("e"."employee_id") = "u"."#k")',
        'ORDER BY "e"."_rid", "u"."_rid"',
      ),
      [],
    ],
    postgres: [
      lines(
        'SELECT "e"."employee_id" AS "e.employee_id", "u"."dn" AS "u.dn"',
        'FROM "hr__employees" AS "e"',
        'INNER JOIN "dir__users" AS "u" ON (lower(("e"."employee_id") COLLATE "und-x-icu") = lower(("u"."employeeID") COLLATE "und-x-icu"))',
        'ORDER BY "e"."_rid", "u"."_rid"',
      ),
      [],
    ],
    rows: [
      ['E001', 'cn=ann'],
      ['E002', 'cn=bob'],
      ['E004', 'cn=dan'],
    ],
  },
  {
    name: 'multiple: keeps rows with two or more matches and attaches each',
    filter: { joins: [{ table: 'hr.contracts AS c', mode: 'multiple' }], output: ['e.employee_id', 'c.contract_id'] },
    sqlite: [
      lines(
        'SELECT "e"."employee_id" AS "e.employee_id", "c"."contract_id" AS "c.contract_id"',
        'FROM "hr__employees" AS "e"',
        'INNER JOIN "hr__contracts" AS "c" ON ("e"."employee_id" = "c"."employee_id") AND (EXISTS (SELECT 1 FROM (SELECT "c"."employee_id" AS "#k" FROM "hr__contracts" AS "c" GROUP BY 1 HAVING COUNT(*) >= 2) AS "c" WHERE ("e"."employee_id" = "c"."#k")))',
        'ORDER BY "e"."_rid", "c"."_rid"',
      ),
      [],
    ],
    postgres: [
      lines(
        'SELECT "e"."employee_id" AS "e.employee_id", "c"."contract_id" AS "c.contract_id"',
        'FROM "hr__employees" AS "e"',
        'INNER JOIN "hr__contracts" AS "c" ON ("e"."employee_id" = "c"."employee_id") AND (EXISTS (SELECT 1 FROM (SELECT "c"."employee_id" AS "#k" FROM "hr__contracts" AS "c" GROUP BY 1 HAVING COUNT(*) >= 2) AS "c" WHERE ("e"."employee_id" = "c"."#k")))',
        'ORDER BY "e"."_rid", "c"."_rid"',
      ),
      [],
    ],
    rows: [
      ['E002', 'C2'],
      ['E002', 'C3'],
      ['E004', 'C5'],
      ['E004', 'C6'],
    ],
  },
  {
    name: 'multiple whose where reads its parent: counts the matches per parent row',
    filter: {
      joins: [{ table: 'hr.contracts AS c', mode: 'multiple', where: "c.unit != 'HR' and e.active" }],
      output: ['e.employee_id', 'c.contract_id'],
    },
    sqlite: [
      lines(
        'WITH "c#k" AS MATERIALIZED (SELECT "c".*, "c"."employee_id" AS "#k" FROM "hr__contracts" AS "c")',
        'SELECT "e"."employee_id" AS "e.employee_id", "c"."contract_id" AS "c.contract_id"',
        'FROM "hr__employees" AS "e"',
        'INNER JOIN "hr__contracts" AS "c" ON ("e"."employee_id" = "c"."employee_id") AND (("c"."unit" <> ?) AND "e"."active") AND ((SELECT COUNT(*) FROM "c#k" AS "c" WHERE ("e"."employee_id" = "c"."#k") AND (("c"."unit" <> ?) AND "e"."active")) >= 2)',
        'ORDER BY "e"."_rid", "c"."_rid"',
      ),
      ['HR', 'HR'],
    ],
    postgres: [
      lines(
        'SELECT "e"."employee_id" AS "e.employee_id", "c"."contract_id" AS "c.contract_id"',
        'FROM "hr__employees" AS "e"',
        'INNER JOIN "hr__contracts" AS "c" ON ("e"."employee_id" = "c"."employee_id") AND (("c"."unit" <> ?::text) AND "e"."active") AND ((SELECT COUNT(*) FROM "hr__contracts" AS "c" WHERE ("e"."employee_id" = "c"."employee_id") AND (("c"."unit" <> ?::text) AND "e"."active")) >= 2)',
        'ORDER BY "e"."_rid", "c"."_rid"',
      ),
      ['HR', 'HR'],
    ],
    rows: [
      ['E002', 'C2'],
      ['E002', 'C3'],
      ['E004', 'C5'],
      ['E004', 'C6'],
    ],
  },
  {
    name: 'all: needs a match and every match to meet the where; a null result fails',
    filter: {
      joins: [{ table: 'hr.contracts AS c', mode: 'all', where: "c.end_date < date '2024-01-01'" }],
      output: ['e.employee_id'],
    },
    sqlite: [
      lines(
        'WITH "c#k" AS MATERIALIZED (SELECT "c".*, "c"."employee_id" AS "#k" FROM "hr__contracts" AS "c")',
        'SELECT "e"."employee_id" AS "e.employee_id"',
        'FROM "hr__employees" AS "e"',
        'WHERE (EXISTS (SELECT 1 FROM "c#k" AS "c" WHERE ("e"."employee_id" = "c"."#k")) AND NOT EXISTS (SELECT 1 FROM "c#k" AS "c" WHERE ("e"."employee_id" = "c"."#k") AND ("c"."end_date" < ?) IS NOT TRUE))',
        'ORDER BY "e"."_rid"',
      ),
      ['2024-01-01'],
    ],
    postgres: [
      lines(
        'SELECT "e"."employee_id" AS "e.employee_id"',
        'FROM "hr__employees" AS "e"',
        'WHERE (EXISTS (SELECT 1 FROM "hr__contracts" AS "c" WHERE ("e"."employee_id" = "c"."employee_id")) AND NOT EXISTS (SELECT 1 FROM "hr__contracts" AS "c" WHERE ("e"."employee_id" = "c"."employee_id") AND ("c"."end_date" < ?::date) IS NOT TRUE))',
        'ORDER BY "e"."_rid"',
      ),
      ['2024-01-01'],
    ],
    rows: [['E003']],
  },
  {
    name: 'all: checks nested items inside its subquery',
    filter: {
      joins: [
        {
          table: 'hr.contracts AS c',
          mode: 'all',
          joins: [{ table: 'hr.departments AS d', mode: 'any', where: 'd.manager_id is not null' }],
        },
      ],
      output: ['e.employee_id'],
    },
    sqlite: [
      lines(
        'WITH "c#k" AS MATERIALIZED (SELECT "c".*, "c"."employee_id" AS "#k" FROM "hr__contracts" AS "c")',
        'SELECT "e"."employee_id" AS "e.employee_id"',
        'FROM "hr__employees" AS "e"',
        'WHERE (EXISTS (SELECT 1 FROM "c#k" AS "c" WHERE ("e"."employee_id" = "c"."#k")) AND NOT EXISTS (SELECT 1 FROM "c#k" AS "c" WHERE ("e"."employee_id" = "c"."#k") AND (EXISTS (SELECT 1 FROM "hr__departments" AS "d" WHERE ("c"."unit" = "d"."unit") AND ("d"."manager_id" IS NOT NULL))) IS NOT TRUE))',
        'ORDER BY "e"."_rid"',
      ),
      [],
    ],
    postgres: [
      lines(
        'SELECT "e"."employee_id" AS "e.employee_id"',
        'FROM "hr__employees" AS "e"',
        'WHERE (EXISTS (SELECT 1 FROM "hr__contracts" AS "c" WHERE ("e"."employee_id" = "c"."employee_id")) AND NOT EXISTS (SELECT 1 FROM "hr__contracts" AS "c" WHERE ("e"."employee_id" = "c"."employee_id") AND (EXISTS (SELECT 1 FROM "hr__departments" AS "d" WHERE ("c"."unit" = "d"."unit") AND ("d"."manager_id" IS NOT NULL))) IS NOT TRUE))',
        'ORDER BY "e"."_rid"',
      ),
      [],
    ],
    rows: [['E001'], ['E002'], ['E004']],
  },
]
