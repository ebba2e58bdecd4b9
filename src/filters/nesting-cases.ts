/**
 * Cases of the filter compiler for nested items and join paths (see ./filter-cases.ts for the
 * case shape and the join modes).
 */
import { type FilterCase, lines } from './filter-cases.ts'

/** Nesting under each mode, and relations to the same table. */
export const NESTING_CASES: readonly FilterCase[] = [
  {
    name: 'nesting: items nested under any join in the main query',
    filter: {
      joins: [
        {
          table: 'hr.contracts AS c',
          mode: 'any',
          where: 'c.end_date is null',
          joins: [{ table: 'hr.departments AS d', mode: 'any' }],
        },
      ],
      output: ['e.employee_id', 'c.contract_id', 'd.name'],
    },
    sqlite: [
      lines(
        'SELECT "e"."employee_id" AS "e.employee_id", "c"."contract_id" AS "c.contract_id", "d"."name" AS "d.name"',
        'FROM "hr__employees" AS "e"',
        'INNER JOIN "hr__contracts" AS "c" ON ("e"."employee_id" = "c"."employee_id") AND ("c"."end_date" IS NULL)',
        'INNER JOIN "hr__departments" AS "d" ON ("c"."unit" = "d"."unit")',
        'ORDER BY "e"."_rid", "c"."_rid", "d"."_rid"',
      ),
      [],
    ],
    postgres: [
      lines(
        'SELECT "e"."employee_id" AS "e.employee_id", "c"."contract_id" AS "c.contract_id", "d"."name" AS "d.name"',
        'FROM "hr__employees" AS "e"',
        'INNER JOIN "hr__contracts" AS "c" ON ("e"."employee_id" = "c"."employee_id") AND ("c"."end_date" IS NULL)',
        'INNER JOIN "hr__departments" AS "d" ON ("c"."unit" = "d"."unit")',
        'ORDER BY "e"."_rid", "c"."_rid", "d"."_rid"',
      ),
      [],
    ],
    rows: [
      ['E001', 'C1', 'Finance'],
      ['E002', 'C3', 'IT'],
      ['E004', 'C6', 'Finance'],
    ],
  },
  {
    name: 'nesting: items nested under none go inside its NOT EXISTS',
    filter: {
      joins: [
        {
          table: 'hr.contracts AS c',
          mode: 'none',
          joins: [{ table: 'hr.departments AS d', mode: 'any', where: "d.name = 'IT'" }],
        },
      ],
      output: ['e.employee_id'],
    },
    sqlite: [
      lines(
        'WITH "c#k" AS MATERIALIZED (SELECT "c".*, "c"."employee_id" AS "#k" FROM "hr__contracts" AS "c")',
        'SELECT "e"."employee_id" AS "e.employee_id"',
        'FROM "hr__employees" AS "e"',
        'WHERE NOT EXISTS (SELECT 1 FROM "c#k" AS "c" WHERE ("e"."employee_id" = "c"."#k") AND (EXISTS (SELECT 1 FROM "hr__departments" AS "d" WHERE ("c"."unit" = "d"."unit") AND ("d"."name" = ?))))',
        'ORDER BY "e"."_rid"',
      ),
      ['IT'],
    ],
    postgres: [
      lines(
        'SELECT "e"."employee_id" AS "e.employee_id"',
        'FROM "hr__employees" AS "e"',
        'WHERE NOT EXISTS (SELECT 1 FROM "hr__contracts" AS "c" WHERE ("e"."employee_id" = "c"."employee_id") AND (EXISTS (SELECT 1 FROM "hr__departments" AS "d" WHERE ("c"."unit" = "d"."unit") AND ("d"."name" = ?::text))))',
        'ORDER BY "e"."_rid"',
      ),
      ['IT'],
    ],
    rows: [['E001'], ['E003'], ['E005']],
  },
  {
    name: 'optional with nested items: a row is attached only with its nested matches, else nulls',
    filter: {
      joins: [
        {
          table: 'hr.contracts AS c',
          mode: 'optional',
          joins: [
            { table: 'hr.departments AS d', mode: 'any', where: 'd.manager_id is not null' },
            { table: 'hr.departments AS x', mode: 'none', where: "x.unit = 'FIN'" },
          ],
        },
      ],
      output: ['e.employee_id', 'c.contract_id', 'd.name'],
    },
    sqlite: [
      lines(
        'SELECT "e"."employee_id" AS "e.employee_id", "c"."contract_id" AS "c.contract_id", "d"."name" AS "d.name"',
        'FROM "hr__employees" AS "e"',
        'LEFT JOIN "hr__contracts" AS "c" ON ("e"."employee_id" = "c"."employee_id") AND (EXISTS (SELECT 1 FROM "hr__departments" AS "d" WHERE ("c"."unit" = "d"."unit") AND ("d"."manager_id" IS NOT NULL))) AND (NOT EXISTS (SELECT 1 FROM "hr__departments" AS "x" WHERE ("c"."unit" = "x"."unit") AND ("x"."unit" = ?)))',
        'LEFT JOIN "hr__departments" AS "d" ON ("c"."unit" = "d"."unit") AND ("d"."manager_id" IS NOT NULL)',
        'ORDER BY "e"."_rid", "c"."_rid", "d"."_rid"',
      ),
      ['FIN'],
    ],
    postgres: [
      lines(
        'SELECT "e"."employee_id" AS "e.employee_id", "c"."contract_id" AS "c.contract_id", "d"."name" AS "d.name"',
        'FROM "hr__employees" AS "e"',
        'LEFT JOIN "hr__contracts" AS "c" ON ("e"."employee_id" = "c"."employee_id") AND (EXISTS (SELECT 1 FROM "hr__departments" AS "d" WHERE ("c"."unit" = "d"."unit") AND ("d"."manager_id" IS NOT NULL))) AND (NOT EXISTS (SELECT 1 FROM "hr__departments" AS "x" WHERE ("c"."unit" = "x"."unit") AND ("x"."unit" = ?::text)))',
        'LEFT JOIN "hr__departments" AS "d" ON ("c"."unit" = "d"."unit") AND ("d"."manager_id" IS NOT NULL)',
        'ORDER BY "e"."_rid", "c"."_rid", "d"."_rid"',
      ),
      ['FIN'],
    ],
    rows: [
      ['E001', null, null],
      ['E002', 'C2', 'IT'],
      ['E002', 'C3', 'IT'],
      ['E003', null, null],
      ['E004', 'C5', 'IT'],
      ['E005', null, null],
    ],
  },
  {
    name: 'relation to the same table: followed from the row to the row it points at',
    filter: { joins: [{ table: 'hr.employees AS boss', mode: 'any' }], output: ['e.first_name', 'boss.first_name'] },
    sqlite: [
      lines(
        'SELECT "e"."first_name" AS "e.first_name", "boss"."first_name" AS "boss.first_name"',
        'FROM "hr__employees" AS "e"',
        'INNER JOIN "hr__employees" AS "boss" ON ("e"."manager_id" = "boss"."employee_id")',
        'ORDER BY "e"."_rid", "boss"."_rid"',
      ),
      [],
    ],
    postgres: [
      lines(
        'SELECT "e"."first_name" AS "e.first_name", "boss"."first_name" AS "boss.first_name"',
        'FROM "hr__employees" AS "e"',
        'INNER JOIN "hr__employees" AS "boss" ON ("e"."manager_id" = "boss"."employee_id")',
        'ORDER BY "e"."_rid", "boss"."_rid"',
      ),
      [],
    ],
    rows: [
      ['Bob', 'Ann'],
      ['Chloé', 'Ann'],
      ['Dan', 'Bob'],
    ],
  },
]
