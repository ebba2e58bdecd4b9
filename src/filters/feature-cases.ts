/**
 * Compiler cases for links with normalisers, lookups, parameters, computed columns and output
 * selection (see ./filter-cases.ts for the shape).
 */
import { type FilterCase, lines } from './filter-cases.ts'

export const FEATURE_CASES: readonly FilterCase[] = [
  {
    name: 'link with a normalising expression: compares the expression with the other side',
    filter: {
      joins: [{ table: 'dir.users AS u', mode: 'any', via: 'employee_login' }],
      output: ['e.employee_id', 'u.sAMAccountName'],
    },
    sqlite: [
      lines(
        'SELECT "e"."employee_id" AS "e.employee_id", "u"."sAMAccountName" AS "u.sAMAccountName"',
        'FROM "hr__employees" AS "e"',
        'INNER JOIN "dir__users" AS "u" ON (provisio_lower((provisio_left("e"."first_name", ?) || replace("e"."last_name", ?, ?))) = "u"."sAMAccountName")',
        'ORDER BY "e"."_rid", "u"."_rid"',
      ),
      [1n, "'", ''],
    ],
    postgres: [
      lines(
        'SELECT "e"."employee_id" AS "e.employee_id", "u"."sAMAccountName" AS "u.sAMAccountName"',
        'FROM "hr__employees" AS "e"',
        'INNER JOIN "dir__users" AS "u" ON (lower(((left("e"."first_name", CASE WHEN (?::int8) < 0 THEN 0 ELSE (?::int8)::int END) || replace("e"."last_name", ?::text, ?::text))) COLLATE "und-x-icu") = "u"."sAMAccountName")',
        'ORDER BY "e"."_rid", "u"."_rid"',
      ),
      [1, 1, "'", ''],
    ],
    rows: [
      ['E001', 'asmith'],
      ['E002', 'bobrien'],
      ['E004', 'dbrown'],
    ],
  },
  {
    name: 'lookup include, case-insensitive: IN over the lower-cased values of the column',
    filter: {
      start: 'hr.departments AS d',
      lookups: [{ name: 'group_exists', mode: 'include', value: 'd.name', in: 'dir.groups.cn', caseInsensitive: true }],
      output: ['d.unit'],
    },
    sqlite: [
      lines(
        'SELECT "d"."unit" AS "d.unit"',
        'FROM "hr__departments" AS "d"',
        'WHERE ((provisio_lower("d"."name")) IN (SELECT provisio_lower("#l"."cn") FROM "dir__groups" AS "#l" WHERE provisio_lower("#l"."cn") IS NOT NULL))',
        'ORDER BY "d"."_rid"',
      ),
      [],
    ],
    postgres: [
      lines(
        'SELECT "d"."unit" AS "d.unit"',
        'FROM "hr__departments" AS "d"',
        'WHERE ((lower(("d"."name") COLLATE "und-x-icu")) IN (SELECT lower(("#l"."cn") COLLATE "und-x-icu") FROM "dir__groups" AS "#l" WHERE lower(("#l"."cn") COLLATE "und-x-icu") IS NOT NULL))',
        'ORDER BY "d"."_rid"',
      ),
      [],
    ],
    rows: [['FIN'], ['IT']],
  },
  {
    name: 'lookup exclude: NOT IN over the non-null values, case-sensitive by default',
    filter: {
      start: 'hr.departments AS d',
      lookups: [{ name: 'group_missing', mode: 'exclude', value: 'd.name', in: 'dir.groups.cn' }],
      output: ['d.unit'],
    },
    sqlite: [
      lines(
        'SELECT "d"."unit" AS "d.unit"',
        'FROM "hr__departments" AS "d"',
        'WHERE (("d"."name") IS NULL OR ("d"."name") NOT IN (SELECT "#l"."cn" FROM "dir__groups" AS "#l" WHERE "#l"."cn" IS NOT NULL))',
        'ORDER BY "d"."_rid"',
      ),
      [],
    ],
    postgres: [
      lines(
        'SELECT "d"."unit" AS "d.unit"',
        'FROM "hr__departments" AS "d"',
        'WHERE (("d"."name") IS NULL OR ("d"."name") NOT IN (SELECT "#l"."cn" FROM "dir__groups" AS "#l" WHERE "#l"."cn" IS NOT NULL))',
        'ORDER BY "d"."_rid"',
      ),
      [],
    ],
    rows: [['FIN'], ['HR'], ['OPS']],
  },
  {
    name: "lookup in a multi-valued column: reads the column's side table",
    filter: {
      start: 'hr.departments AS d',
      lookups: [{ name: 'in_member_of', mode: 'include', value: 'name', in: 'dir.users.memberOf' }],
      output: ['d.unit'],
    },
    sqlite: [
      lines(
        'SELECT "d"."unit" AS "d.unit"',
        'FROM "hr__departments" AS "d"',
        'WHERE (("d"."name") IN (SELECT "#v"."value" FROM "dir__users" AS "#l" INNER JOIN "dir__users__memberof" AS "#v" ON ("#v"."_rid" = "#l"."_rid") WHERE "#v"."value" IS NOT NULL))',
        'ORDER BY "d"."_rid"',
      ),
      [],
    ],
    postgres: [
      lines(
        'SELECT "d"."unit" AS "d.unit"',
        'FROM "hr__departments" AS "d"',
        'WHERE (("d"."name") IN (SELECT "#v"."value" FROM "dir__users" AS "#l" INNER JOIN "dir__users__memberof" AS "#v" ON ("#v"."_rid" = "#l"."_rid") WHERE "#v"."value" IS NOT NULL))',
        'ORDER BY "d"."_rid"',
      ),
      [],
    ],
    rows: [['FIN'], ['IT']],
  },
  {
    name: 'parameters: defaults are bound values',
    filter: {
      parameters: { since: { type: 'date', default: '2024-01-01' }, unit: { type: 'string', default: 'IT' } },
      joins: [{ table: 'hr.contracts AS c', mode: 'any', where: 'c.start_date >= :since and c.unit = :unit' }],
      output: ['e.employee_id', 'c.contract_id'],
    },
    sqlite: [
      lines(
        'SELECT "e"."employee_id" AS "e.employee_id", "c"."contract_id" AS "c.contract_id"',
        'FROM "hr__employees" AS "e"',
        'INNER JOIN "hr__contracts" AS "c" ON ("e"."employee_id" = "c"."employee_id") AND (("c"."start_date" >= ?) AND ("c"."unit" = ?))',
        'ORDER BY "e"."_rid", "c"."_rid"',
      ),
      ['2024-01-01', 'IT'],
    ],
    postgres: [
      lines(
        'SELECT "e"."employee_id" AS "e.employee_id", "c"."contract_id" AS "c.contract_id"',
        'FROM "hr__employees" AS "e"',
        'INNER JOIN "hr__contracts" AS "c" ON ("e"."employee_id" = "c"."employee_id") AND (("c"."start_date" >= ?::date) AND ("c"."unit" = ?::text))',
        'ORDER BY "e"."_rid", "c"."_rid"',
      ),
      ['2024-01-01', 'IT'],
    ],
    rows: [
      ['E002', 'C3'],
      ['E004', 'C5'],
    ],
  },
  {
    name: "parameters: a run's values override the defaults",
    filter: {
      parameters: { since: { type: 'date', default: '2024-01-01' }, unit: { type: 'string', default: 'IT' } },
      joins: [{ table: 'hr.contracts AS c', mode: 'any', where: 'c.start_date >= :since and c.unit = :unit' }],
      output: ['e.employee_id', 'c.contract_id'],
    },
    params: { since: '2025-01-01', unit: 'FIN' },
    sqlite: [
      lines(
        'SELECT "e"."employee_id" AS "e.employee_id", "c"."contract_id" AS "c.contract_id"',
        'FROM "hr__employees" AS "e"',
        'INNER JOIN "hr__contracts" AS "c" ON ("e"."employee_id" = "c"."employee_id") AND (("c"."start_date" >= ?) AND ("c"."unit" = ?))',
        'ORDER BY "e"."_rid", "c"."_rid"',
      ),
      ['2025-01-01', 'FIN'],
    ],
    postgres: [
      lines(
        'SELECT "e"."employee_id" AS "e.employee_id", "c"."contract_id" AS "c.contract_id"',
        'FROM "hr__employees" AS "e"',
        'INNER JOIN "hr__contracts" AS "c" ON ("e"."employee_id" = "c"."employee_id") AND (("c"."start_date" >= ?::date) AND ("c"."unit" = ?::text))',
        'ORDER BY "e"."_rid", "c"."_rid"',
      ),
      ['2025-01-01', 'FIN'],
    ],
    rows: [['E004', 'C6']],
  },
  {
    name: 'computed columns: expressions in the select list, named in the output',
    filter: {
      where: 'e.active',
      columns: { login: 'lower(left(first_name, 1) || last_name)', level: "if(grade >= 5, 'senior', 'junior')" },
      output: ['e.employee_id', 'login', 'level'],
    },
    sqlite: [
      lines(
        'SELECT "e"."employee_id" AS "e.employee_id", provisio_lower((provisio_left("e"."first_name", ?) || "e"."last_name")) AS "login", CASE WHEN ("e"."grade" >= ?) THEN ? ELSE ? END AS "level"',
        'FROM "hr__employees" AS "e"',
        'WHERE "e"."active"',
        'ORDER BY "e"."_rid"',
      ),
      [1n, 5n, 'senior', 'junior'],
    ],
    postgres: [
      lines(
        'SELECT "e"."employee_id" AS "e.employee_id", lower(((left("e"."first_name", CASE WHEN (?::int8) < 0 THEN 0 ELSE (?::int8)::int END) || "e"."last_name")) COLLATE "und-x-icu") AS "login", CASE WHEN ("e"."grade" >= ?::int8) THEN ?::text ELSE ?::text END AS "level"',
        'FROM "hr__employees" AS "e"',
        'WHERE "e"."active"',
        'ORDER BY "e"."_rid"',
      ),
      [1, 1, 5, 'senior', 'junior'],
    ],
    rows: [
      ['E001', 'asmith', 'senior'],
      ['E002', "bo'brien", 'junior'],
      ['E004', 'dbrown', 'junior'],
      ['E005', 'ezoë', 'senior'],
    ],
  },
  {
    name: 'output: alias.*, an optional join and a computed column, in the order given',
    filter: {
      start: 'hr.departments AS d',
      joins: [{ table: 'hr.employees AS m', mode: 'optional' }],
      columns: { label: "d.name || ' (' || coalesce(m.first_name, '-') || ')'" },
      output: ['label', 'd.*', 'm.first_name'],
    },
    sqlite: [
      lines(
        'SELECT ((("d"."name" || ?) || coalesce("m"."first_name", ?)) || ?) AS "label", "d"."unit" AS "d.unit", "d"."name" AS "d.name", "d"."manager_id" AS "d.manager_id", "m"."first_name" AS "m.first_name"',
        'FROM "hr__departments" AS "d"',
        'LEFT JOIN "hr__employees" AS "m" ON ("d"."manager_id" = "m"."employee_id")',
        'ORDER BY "d"."_rid", "m"."_rid"',
      ),
      [' (', '-', ')'],
    ],
    postgres: [
      lines(
        'SELECT ((("d"."name" || ?::text) || coalesce("m"."first_name", ?::text)) || ?::text) AS "label", "d"."unit" AS "d.unit", "d"."name" AS "d.name", "d"."manager_id" AS "d.manager_id", "m"."first_name" AS "m.first_name"',
        'FROM "hr__departments" AS "d"',
        'LEFT JOIN "hr__employees" AS "m" ON ("d"."manager_id" = "m"."employee_id")',
        'ORDER BY "d"."_rid", "m"."_rid"',
      ),
      [' (', '-', ')'],
    ],
    rows: [
      ['Finance (Ann)', 'FIN', 'Finance', 'E001', 'Ann'],
      ['IT (Bob)', 'IT', 'IT', 'E002', 'Bob'],
      ['Human Resources (-)', 'HR', 'Human Resources', null, null],
      ['Operations (Eve)', 'OPS', 'Operations', 'E005', 'Eve'],
    ],
  },
  {
    name: 'default output: every column of the attached tables, then the computed columns',
    filter: { start: 'hr.departments AS d', where: "unit != 'OPS'", columns: { upper_name: 'upper(name)' } },
    sqlite: [
      lines(
        'SELECT "d"."unit" AS "d.unit", "d"."name" AS "d.name", "d"."manager_id" AS "d.manager_id", provisio_upper("d"."name") AS "upper_name"',
        'FROM "hr__departments" AS "d"',
        'WHERE ("d"."unit" <> ?)',
        'ORDER BY "d"."_rid"',
      ),
      ['OPS'],
    ],
    postgres: [
      lines(
        'SELECT "d"."unit" AS "d.unit", "d"."name" AS "d.name", "d"."manager_id" AS "d.manager_id", upper(("d"."name") COLLATE "und-x-icu") AS "upper_name"',
        'FROM "hr__departments" AS "d"',
        'WHERE ("d"."unit" <> ?::text)',
        'ORDER BY "d"."_rid"',
      ),
      ['OPS'],
    ],
    rows: [
      ['FIN', 'Finance', 'E001', 'FINANCE'],
      ['IT', 'IT', 'E002', 'IT'],
      ['HR', 'Human Resources', null, 'HUMAN RESOURCES'],
    ],
  },
]
