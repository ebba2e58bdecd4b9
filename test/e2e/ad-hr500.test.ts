/**
 * End to end: examples/hr500-ad through the `provisio` command into the real Samba AD DC, the way
 * its README walks through it, on the embedded vault and (when available) on PostgreSQL, whose SQL
 * builds the department OUs' DNs with escape_dn() in the filters. The copy of the example works in an OU of the test's own (the DC is
 * shared with every other test): the YAML's `OU=HR500,DC=example,DC=test` is rewritten to that OU,
 * and the system points at the test DC. The HR500 CSV files are copied into the project so that the
 * tests can change them (a new surname, a contract that ends, a move to another department).
 *
 * Roles too (issue 6 item 7): the job creates one DEPGRP_<unit> group per department under
 * OU=Groups and fills it from the active role model (roles/role-model.yaml) with the accounts of
 * the department's current employees; the groups' sAMAccountNames get the test's own suffix, as
 * they must be unique in the whole (shared) domain. Members that no role grants are removed from a
 * managed group, a nested group among them unless a role grants it, and a nested group's members
 * are never written into the group it is nested in.
 *
 * What each account and each group should be is worked out here from the CSV files on their own
 * (the oracle), and what the directory holds is read with a plain LDAP client, not through Provisio.
 *
 * Generated passwords are random, so the copy's password generator is made deterministic:
 * `Pw-<employee id>-7` (the random part is one character from the class {7}). That lets the test
 * bind as the new accounts, which proves the password reached unicodePwd, and look for the
 * passwords in every output and in the vault, where they must never be.
 */
import assert from 'node:assert/strict'
import { appendFileSync, cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { after, before, describe, it } from 'node:test'
import { Attribute, Change, Client, type Entry } from 'ldapts'
import { escapeDnValue } from '../../src/core/index.ts'
import { normalizeDn } from '../../src/connectors/ldap/ldap-dn.ts'
import { type CliResult, ROOT, provisio, projectArgs, jsonOf } from '../support/cli.ts'
import { AD_SERVER, type FreshOu, freshOu, skipReason } from '../support/ldap-servers.ts'
import { CsvFile, type CsvRow, TODAY, currentUnits, departmentUnits, isoDate } from '../support/hr500-csv.ts'
import { VAULT_KINDS, vaultText, dropVaultSchema } from '../support/vaults.ts'

const EXAMPLE = path.join(ROOT, 'examples', 'hr500-ad')
const HR_FILES = path.join(ROOT, 'examples', 'hr500', 'files', 'hr500')
/** The base the example's YAML names; the copy gets the test's own OU instead. */
const EXAMPLE_BASE = 'OU=HR500,DC=example,DC=test'
const PASSWORD = /Pw-\d+-7/
/** What the memberships step's operations name as their mapping. */
const MEMBERSHIPS = 'memberships:ad'
const passwordOf = (employeeId: string) => `Pw-${employeeId}-7`

interface Expected {
  readonly employeeId: string
  readonly displayName: string
  readonly givenName: string
  readonly sn: string
  readonly department: string
  /** The organizational unit of the latest current contract. */
  readonly unit: string
}

/** Who should have an account, worked out from the CSV files: the filters' rules, written again. */
function expectedAccounts(hrDir: string): Map<string, Expected> {
  const employees = new CsvFile(path.join(hrDir, 'employees.csv')).rows()
  const departments = new Map(
    new CsvFile(path.join(hrDir, 'departments.csv')).rows().map((d) => [d['organizational_unit']!, d['name']!]),
  )
  const latest = new Map<string, CsvRow>()
  for (const c of new CsvFile(path.join(hrDir, 'contracts.csv')).rows()) {
    const start = isoDate(c['start_date']!)
    const end = isoDate(c['end_date']!)
    if (start > TODAY || (end !== '' && end < TODAY)) continue
    const seen = latest.get(c['employee_id']!)
    const later =
      seen === undefined ||
      start > isoDate(seen['start_date']!) ||
      (start === isoDate(seen['start_date']!) && c['contract_id']! > seen['contract_id']!)
    if (later) latest.set(c['employee_id']!, c)
  }
  const expected = new Map<string, Expected>()
  for (const e of employees) {
    const contract = latest.get(e['employee_id']!)
    if (contract === undefined) continue
    const givenName = e['preferred_name'] || e['first_name']!
    const middle = e['middle_name'] ? `${e['middle_name']} ` : ''
    expected.set(e['employee_id']!, {
      employeeId: e['employee_id']!,
      displayName: `${givenName} ${middle}${e['last_name']}`,
      givenName,
      sn: e['last_name']!,
      department: departments.get(contract['organizational_unit']!)!,
      unit: contract['organizational_unit']!,
    })
  }
  return expected
}

// ---- the directory, read with a plain LDAP client ----

interface Account {
  readonly dn: string
  readonly guid: string
  readonly cn: string
  readonly sAMAccountName: string
  readonly userPrincipalName: string
  readonly employeeID: string
  readonly givenName: string
  readonly sn: string
  readonly displayName: string
  readonly department: string
  readonly mail: string
  readonly userAccountControl: number
  readonly pwdLastSet: string
}

const text = (entry: Entry, attribute: string): string => {
  const value = entry[attribute]
  const first = Array.isArray(value) ? value[0] : value
  return first === undefined ? '' : Buffer.isBuffer(first) ? first.toString('base64') : String(first)
}

async function accounts(fresh: FreshOu): Promise<Map<string, Account>> {
  const { searchEntries } = await fresh.client.search(fresh.dn, {
    scope: 'sub',
    filter: '(&(objectCategory=person)(objectClass=user))',
    attributes: [
      'objectGUID',
      'cn',
      'sAMAccountName',
      'userPrincipalName',
      'employeeID',
      'givenName',
      'sn',
      'displayName',
      'department',
      'mail',
      'userAccountControl',
      'pwdLastSet',
    ],
    explicitBufferAttributes: ['objectGUID'],
    paged: { pageSize: 500 },
  })
  const byEmployee = new Map<string, Account>()
  for (const e of searchEntries) {
    const account: Account = {
      dn: e.dn,
      guid: text(e, 'objectGUID'),
      cn: text(e, 'cn'),
      sAMAccountName: text(e, 'sAMAccountName'),
      userPrincipalName: text(e, 'userPrincipalName'),
      employeeID: text(e, 'employeeID'),
      givenName: text(e, 'givenName'),
      sn: text(e, 'sn'),
      displayName: text(e, 'displayName'),
      department: text(e, 'department'),
      mail: text(e, 'mail'),
      userAccountControl: Number(text(e, 'userAccountControl')),
      pwdLastSet: text(e, 'pwdLastSet'),
    }
    assert.ok(!byEmployee.has(account.employeeID), `two accounts for employee ${account.employeeID}`)
    byEmployee.set(account.employeeID, account)
  }
  return byEmployee
}

async function canBind(user: string, password: string): Promise<boolean> {
  const client = new Client({ url: AD_SERVER!.url, tlsOptions: { ca: readFileSync(AD_SERVER!.caFile) } })
  try {
    await client.bind(user, password)
    return true
  } catch {
    return false
  } finally {
    await client.unbind().catch(() => undefined)
  }
}

const disabled = (a: Account) => (a.userAccountControl & 2) !== 0

/** The groups under `groupsOu`, by cn, with their direct members' DNs in normal form. */
async function groupMembers(fresh: FreshOu, groupsOu: string): Promise<Map<string, Set<string>>> {
  const { searchEntries } = await fresh.client.search(groupsOu, {
    scope: 'one',
    filter: '(objectClass=group)',
    attributes: ['cn', 'member'],
  })
  const values = (e: Entry) => {
    const v = e['member']
    return (v === undefined ? [] : Array.isArray(v) ? v : [v]).map((m) => normalizeDn(String(m)))
  }
  return new Map(searchEntries.map((e) => [text(e, 'cn'), new Set(values(e))]))
}

/** Group → members as sorted `cn member-dn` lines, for comparing whole directories at once. */
const pairsOf = (groups: Map<string, Set<string>>) =>
  [...groups].flatMap(([cn, members]) => [...members].map((m) => `${cn} ${m}`)).sort()

interface StepJson {
  mapping: string
  function: string
  operations: number
  failed: number
}

interface RunJson {
  planId: number
  steps: StepJson[]
  execution?: { status: string; succeeded: number; failed: number; skipped: number }
  stopped?: boolean
  error?: { code: string; message: string }
}

for (const kind of VAULT_KINDS) {
  describe(
    `examples/hr500-ad into Samba AD with the provisio command (${kind} vault)`,
    { skip: skipReason('ad') },
    () => {
      /** The PostgreSQL schema of this run's vault; undefined on SQLite. */
      let schema: string | undefined
      let fresh: FreshOu
      let dir: string
      let hrDir: string
      let departmentsOu: string
      let leaversOu: string
      let groupsOu: string
      /** Makes the sAMAccountNames of the test's groups unique in the shared domain. */
      const tag = `${process.pid.toString(36)}${Date.now().toString(36)}`.slice(-8)
      const outputs: string[] = []
      /** objectGUIDs of the accounts after the first run, by employee id. */
      const guids = new Map<string, string>()
      /** Employees whose HR data a test changed: later tests pick others. */
      const edited = new Set<string>()
      /** The employee the leaver test made leave, for the returning test. */
      let leaverId = ''

      function run(...args: string[]): CliResult {
        const result = provisio([...args, ...projectArgs(dir, schema)], { env: { AD_PASSWORD: AD_SERVER!.password } })
        outputs.push(result.stdout, result.stderr)
        return result
      }

      function json<T>(...args: string[]): T {
        return jsonOf<T>(run(...args, '--json'), args)
      }

      /**
       * Operations per mapping of a job run (only the steps that planned any); the memberships step's
       * two plan steps by function (membership_add, membership_remove).
       */
      const planned = (result: RunJson) =>
        Object.fromEntries(
          result.steps
            .filter((s) => s.operations > 0)
            .map((s) => [s.mapping === MEMBERSHIPS ? s.function : s.mapping, s.operations]),
        )

      /** The department groups (cn DEPGRP_…) as the directory holds them. */
      const departmentGroups = async () =>
        new Map([...(await groupMembers(fresh, groupsOu))].filter(([cn]) => cn.startsWith('DEPGRP_')))

      /** The oracle: every department's group holds exactly the DNs of its current employees' accounts. */
      async function expectedGroups(): Promise<Map<string, Set<string>>> {
        const groups = new Map(departmentUnits(hrDir).map((u) => [`DEPGRP_${u}`, new Set<string>()]))
        const actual = await accounts(fresh)
        for (const [employee, units] of currentUnits(hrDir)) {
          const account = actual.get(employee)
          if (account === undefined) continue
          for (const unit of units) groups.get(`DEPGRP_${unit}`)!.add(normalizeDn(account.dn))
        }
        return groups
      }

      /** Asserts that every department group holds exactly what the oracle says. */
      async function assertGroupsAsHr(): Promise<void> {
        assert.deepEqual(pairsOf(await departmentGroups()), pairsOf(await expectedGroups()))
      }

      const departmentOu = (department: string) => `OU=${escapeDnValue(department)},${departmentsOu}`
      const parentOf = (dn: string) =>
        normalizeDn(dn)
          .split(/(?<!\\),/)
          .slice(1)
          .join(',')
      const sameDn = (a: string, b: string) => normalizeDn(a) === normalizeDn(b)

      /** Collects HR and AD, runs the job and checks that nothing failed. */
      function collectAndRun(...extra: string[]): RunJson {
        assert.equal(run('collect').status, 0, 'collect')
        const result = json<RunJson>('job', 'run', 'ad_accounts', ...extra)
        assert.deepEqual(
          result.steps.filter((s) => s.failed > 0),
          [],
        )
        assert.equal(result.execution?.failed ?? 0, 0, JSON.stringify(result.execution))
        return result
      }

      /** `n` current employees with an account whose HR data no test has changed, with one current contract. */
      function pickEmployees(n: number, where: (e: Expected) => boolean = () => true): Expected[] {
        const contracts = new CsvFile(path.join(hrDir, 'contracts.csv')).rows()
        const current = (c: CsvRow) =>
          isoDate(c['start_date']!) < TODAY && (c['end_date'] === '' || isoDate(c['end_date']!) >= TODAY)
        const picked = [...expectedAccounts(hrDir).values()].filter((e) => {
          if (edited.has(e.employeeId) || !guids.has(e.employeeId) || !where(e)) return false
          const own = contracts.filter((c) => c['employee_id'] === e.employeeId)
          // One contract, running: ending it makes a leaver, moving it changes the department.
          return own.length === 1 && current(own[0]!)
        })
        assert.ok(picked.length >= n, 'enough employees to pick from')
        for (const e of picked.slice(0, n)) edited.add(e.employeeId)
        return picked.slice(0, n)
      }

      before(async () => {
        schema = kind === 'postgres' ? `e2e_ad_${process.pid}_${Date.now().toString(36)}` : undefined
        fresh = await freshOu(AD_SERVER!, 'hr500-ad')
        // What setup/hr500-ous.ldif makes under OU=HR500.
        departmentsOu = await fresh.child('Departments')
        leaversOu = await fresh.child('Leavers')
        groupsOu = await fresh.child('Groups')
        dir = mkdtempSync(path.join(os.tmpdir(), 'provisio-hr500-ad-'))
        cpSync(EXAMPLE, dir, { recursive: true, filter: (source) => !source.includes(`${path.sep}.provisio`) })
        hrDir = path.join(dir, 'files', 'hr500')
        cpSync(HR_FILES, hrDir, { recursive: true })
        const rewrite = (file: string, edit: (text: string) => string) => {
          const before = readFileSync(file, 'utf8')
          const after = edit(before)
          assert.notEqual(after, before, `${file} is rewritten`)
          writeFileSync(file, after)
        }
        for (const folder of ['systems', 'filters', 'mappings', 'roles'])
          for (const name of readdirSync(path.join(dir, folder)))
            if (readFileSync(path.join(dir, folder, name), 'utf8').includes(EXAMPLE_BASE))
              rewrite(path.join(dir, folder, name), (t) => t.replaceAll(EXAMPLE_BASE, fresh.dn))
        rewrite(path.join(dir, 'systems', 'hr500.yaml'), (t) =>
          t.replace('folder: ../hr500/files/hr500', 'folder: files/hr500'),
        )
        rewrite(path.join(dir, 'systems', 'ad.yaml'), (t) =>
          t
            .replace('url: ldaps://127.0.0.1:636', `url: ${AD_SERVER!.url}`)
            .replace('ca: .provisio/samba/tls/ca.pem', `ca: ${AD_SERVER!.caFile}`),
        )
        // sAMAccountName is unique in the whole domain, which every test shares: the test's own suffix.
        rewrite(path.join(dir, 'mappings', 'groups.yaml'), (t) =>
          t.replace('  description: d.name\n', `  description: d.name\n  sAMAccountName: group_name || '-${tag}'\n`),
        )
        rewrite(path.join(dir, 'mappings', 'generators.yaml'), (t) =>
          t.replace(
            /length: \{ min: 16, max: 20 \}\nclasses: .*\n/,
            `length: 1\nclasses: { digits: { min: 1, characters: '7' } }\nparts: ["'Pw-' || e.employee_id || '-'", random]\n`,
          ),
        )
      })

      after(async () => {
        await fresh?.remove()
        if (dir !== undefined) rmSync(dir, { recursive: true, force: true })
        await dropVaultSchema(schema)
      })

      it('validates the example as it is, and the copy pointed at the test OU', () => {
        const example = provisio(['validate', '--project', EXAMPLE])
        assert.equal(example.status, 0, example.stdout + example.stderr)
        const copy = run('validate')
        assert.equal(copy.status, 0, copy.stdout + copy.stderr)
      })

      it('activates the role model, then stops the first run at the create threshold and writes nothing', async () => {
        assert.equal(run('collect').status, 0)
        const activated = run('roles', 'activate')
        assert.equal(activated.status, 0, activated.stderr)
        const stopped = run('job', 'run', 'ad_accounts')
        assert.equal(stopped.status, 1)
        assert.match(
          stopped.stderr,
          /step 3 \(create_accounts, user_create\) plans \d+ operations, more than its threshold of 100.*\[JOB_THRESHOLD_EXCEEDED\]/,
        )
        assert.equal((await accounts(fresh)).size, 0, 'nothing was written')
        assert.equal((await groupMembers(fresh, groupsOu)).size, 0, 'no group was created')
      })

      it('creates the department OUs and groups, and an enabled account for every current employee with --force', async () => {
        const expected = expectedAccounts(hrDir)
        const result = collectAndRun('--force')
        const departments = new CsvFile(path.join(hrDir, 'departments.csv')).rows()
        // No memberships yet: the groups and accounts are created by this very run, planned before it wrote.
        assert.deepEqual(planned(result), {
          create_department_ous: departments.length,
          create_department_groups: departments.length,
          create_accounts: expected.size,
        })
        assert.equal(result.execution?.succeeded, 2 * departments.length + expected.size)

        // The groups, empty for now, with the test's own sAMAccountName.
        const groups = await groupMembers(fresh, groupsOu)
        assert.deepEqual(
          [...groups.keys()].sort(),
          departmentUnits(hrDir)
            .map((u) => `DEPGRP_${u}`)
            .sort(),
        )
        assert.deepEqual(pairsOf(groups), [])
        const { searchEntries: named } = await fresh.client.search(groupsOu, {
          scope: 'one',
          filter: '(cn=DEPGRP_EN_DOC)',
          attributes: ['sAMAccountName', 'groupType'],
        })
        assert.deepEqual(
          [text(named[0]!, 'sAMAccountName'), text(named[0]!, 'groupType')],
          [`DEPGRP_EN_DOC-${tag}`, '-2147483646'],
          'a global security group',
        )

        // The OUs, named as HR names the departments (escaped in the DN: `Research\; Innovation`).
        const { searchEntries: ous } = await fresh.client.search(departmentsOu, { scope: 'one', attributes: ['ou'] })
        assert.deepEqual(ous.map((o) => text(o, 'ou')).sort(), departments.map((d) => d['name']!).sort())
        assert.ok(ous.some((o) => sameDn(o.dn, departmentOu('Research; Innovation'))))
        assert.ok(ous.some((o) => sameDn(o.dn, departmentOu('Brand "Voice" & Content'))))

        const actual = await accounts(fresh)
        assert.deepEqual([...actual.keys()].sort(), [...expected.keys()].sort(), 'one account per current employee')
        const logons = new Set<string>()
        for (const [id, want] of expected) {
          const account = actual.get(id)!
          guids.set(id, account.guid)
          assert.ok(!disabled(account), `${account.dn} is enabled`)
          assert.ok(sameDn(parentOf(account.dn), departmentOu(want.department)), `${account.dn} in ${want.department}`)
          assert.equal(account.cn, want.displayName)
          assert.deepEqual(
            [account.displayName, account.givenName, account.sn, account.department],
            [want.displayName, want.givenName, want.sn, want.department],
          )
          assert.match(account.sAMAccountName, /^[a-z0-9.-]{1,20}$/)
          assert.ok(!logons.has(account.sAMAccountName.toLowerCase()), `${account.sAMAccountName} is unique`)
          logons.add(account.sAMAccountName.toLowerCase())
          assert.equal(account.userPrincipalName, `${account.sAMAccountName}@example.test`)
          assert.equal(account.mail, account.userPrincipalName)
          // AD sets pwdLastSet when unicodePwd is written; an account created without one has 0.
          assert.notEqual(account.pwdLastSet, '0', `${account.dn} has a password`)
        }
        // The password the account got is the one generated: a few of them log on, by UPN and by DN.
        for (const want of [...expected.values()].slice(0, 3)) {
          const account = actual.get(want.employeeId)!
          assert.ok(await canBind(account.userPrincipalName, passwordOf(want.employeeId)), account.userPrincipalName)
          assert.ok(await canBind(account.dn, passwordOf(want.employeeId)), account.dn)
          assert.ok(!(await canBind(account.userPrincipalName, 'Pw-wrong-7')), 'a wrong password is refused')
        }
      })

      it('fills the department groups on the next run: each holds its current employees, a person with two contracts both', async () => {
        const collected = json<{ collections: { system: string; tables: Record<string, number | string>[] }[] }>(
          'collect',
          'ad',
        )
        const changes = collected.collections[0]!.tables.filter((t) => t['table'] !== 'domain_accounts')
        assert.deepEqual(
          changes.map((t) => [t['table'], t['added'], t['changed'], t['removed']]),
          [
            ['users', 0, 0, 0],
            ['ous', 0, 0, 0],
            ['groups', 0, 0, 0],
            ['memberships', 0, 0, 0],
          ],
        )
        const expected = await expectedGroups()
        const again = collectAndRun()
        // A move planned here means the collected parent and the mapping's DN (built with escape_dn)
        // spell the same container differently.
        assert.deepEqual(
          planned(again),
          { membership_add: pairsOf(expected).length },
          'the second run only fills groups',
        )
        await assertGroupsAsHr()
        const several = [...currentUnits(hrDir)].filter(([id, units]) => units.size > 1 && guids.has(id))
        assert.ok(several.length > 0, 'HR500 has people with two current contracts')
        const groups = await departmentGroups()
        const dns = await accounts(fresh)
        for (const [id, units] of several)
          for (const unit of units) assert.ok(groups.get(`DEPGRP_${unit}`)!.has(normalizeDn(dns.get(id)!.dn)), id)
      })

      it('finds nothing to do on the next run, and collecting AD again finds what the write-back recorded', () => {
        const collected = json<{ collections: { system: string; tables: Record<string, number | string>[] }[] }>(
          'collect',
          'ad',
        )
        assert.deepEqual(
          collected.collections[0]!.tables.filter((t) => t['table'] !== 'domain_accounts').map(
            (t) => Number(t['added']) + Number(t['changed']) + Number(t['removed']),
          ),
          [0, 0, 0, 0],
        )
        assert.deepEqual(planned(collectAndRun()), {}, 'the third run plans nothing')
      })

      it('renames the account of an employee whose surname changed: new cn and DN, same objectGUID', async () => {
        const [person] = pickEmployees(1)
        const employee = person!
        new CsvFile(path.join(hrDir, 'employees.csv')).edit(
          (e) => e['employee_id'] === employee.employeeId,
          (e) => ({ ...e, last_name: 'Ørsted, Jr.' }),
        )
        const want = expectedAccounts(hrDir).get(employee.employeeId)!
        assert.match(want.displayName, /Ørsted, Jr\.$/)
        const result = collectAndRun()
        assert.deepEqual(planned(result), { update_accounts: 1, rename_accounts: 1 })
        const account = (await accounts(fresh)).get(employee.employeeId)!
        assert.equal(account.guid, guids.get(employee.employeeId))
        assert.equal(account.cn, want.displayName)
        assert.ok(
          sameDn(account.dn, `CN=${escapeDnValue(want.displayName)},${departmentOu(want.department)}`),
          account.dn,
        )
        assert.deepEqual([account.sn, account.displayName], ['Ørsted, Jr.', want.displayName])
        assert.deepEqual(planned(collectAndRun()), {}, 'the renamed account matches on the next run')
        // AD keeps the group's member pointing at the renamed account: nothing to write for it.
        await assertGroupsAsHr()
      })

      it('disables a leaver and moves the account to OU=Leavers', async () => {
        const [person] = pickEmployees(1, (e) => e.department !== 'Compliance & Privacy')
        const leaver = person!
        leaverId = leaver.employeeId
        // HR500 says someone left by ending their contracts: the last day is before today.
        new CsvFile(path.join(hrDir, 'contracts.csv')).edit(
          (c) => c['employee_id'] === leaver.employeeId,
          (c) => ({ ...c, end_date: '30-11-2026' }),
        )
        const before = (await accounts(fresh)).get(leaver.employeeId)!
        assert.ok((await departmentGroups()).get(`DEPGRP_${leaver.unit}`)!.has(normalizeDn(before.dn)))
        const result = collectAndRun()
        assert.deepEqual(planned(result), { disable_leavers: 1, move_leavers: 1, membership_remove: 1 })
        assert.ok(
          [...(await departmentGroups()).values()].every((members) => !members.has(normalizeDn(before.dn))),
          'the leaver is in no department group',
        )
        await assertGroupsAsHr()
        const account = (await accounts(fresh)).get(leaver.employeeId)!
        assert.equal(account.guid, guids.get(leaver.employeeId))
        assert.ok(disabled(account), 'userAccountControl has ACCOUNTDISABLE')
        assert.ok(sameDn(parentOf(account.dn), leaversOu), account.dn)
        assert.ok(
          !(await canBind(account.userPrincipalName, passwordOf(leaver.employeeId))),
          'a disabled account cannot log on',
        )
        assert.deepEqual(planned(collectAndRun()), {}, 'the leaver is done')
      })

      it('enables the account of a leaver who comes back and moves it to the new department', async () => {
        // A new contract, in another department, from today.
        const contracts = new CsvFile(path.join(hrDir, 'contracts.csv'))
        const last = contracts.rows().find((c) => c['employee_id'] === leaverId)!
        contracts.edit(
          (c) => c['contract_id'] === last['contract_id'],
          (c) => ({ ...c, start_date: '01-12-2026', end_date: '', organizational_unit: 'LE_CMP' }),
        )
        const result = collectAndRun()
        assert.deepEqual(planned(result), {
          update_accounts: 1,
          move_accounts: 1,
          enable_returning: 1,
          membership_add: 1,
        })
        const account = (await accounts(fresh)).get(leaverId)!
        assert.equal(account.guid, guids.get(leaverId))
        assert.ok(!disabled(account), `${account.dn} is enabled again`)
        assert.ok(sameDn(parentOf(account.dn), departmentOu('Compliance & Privacy')), account.dn)
        assert.ok(await canBind(account.userPrincipalName, passwordOf(leaverId)), 'the account logs on again')
        // Added with the DN it had in OU=Leavers, before the move: AD followed the move.
        assert.ok((await departmentGroups()).get('DEPGRP_LE_CMP')!.has(normalizeDn(account.dn)))
        assert.deepEqual(planned(collectAndRun()), {}, 'the returning employee is done')
        await assertGroupsAsHr()
      })

      it('moves the account of an employee who changed department, also when the surname changes in the same run', async () => {
        const [mover, both] = pickEmployees(
          2,
          (e) => e.department !== 'Research; Innovation' && e.department !== 'Brand "Voice" & Content',
        )
        const contracts = new CsvFile(path.join(hrDir, 'contracts.csv'))
        contracts.edit(
          (c) => c['employee_id'] === mover!.employeeId,
          (c) => ({ ...c, organizational_unit: 'EN_RI' }), // Research; Innovation
        )
        contracts.edit(
          (c) => c['employee_id'] === both!.employeeId,
          (c) => ({ ...c, organizational_unit: 'MA_BRD' }), // Brand "Voice" & Content
        )
        new CsvFile(path.join(hrDir, 'employees.csv')).edit(
          (e) => e['employee_id'] === both!.employeeId,
          (e) => ({ ...e, last_name: 'de Wit-Øst' }),
        )
        const result = collectAndRun()
        assert.deepEqual(planned(result), {
          update_accounts: 2,
          membership_add: 2,
          membership_remove: 2,
          rename_accounts: 1,
          move_accounts: 2,
        })
        const actual = await accounts(fresh)
        const moved = actual.get(mover!.employeeId)!
        assert.equal(moved.guid, guids.get(mover!.employeeId))
        assert.ok(sameDn(parentOf(moved.dn), departmentOu('Research; Innovation')), moved.dn)
        assert.equal(moved.department, 'Research; Innovation')
        const want = expectedAccounts(hrDir).get(both!.employeeId)!
        const renamed = actual.get(both!.employeeId)!
        assert.equal(renamed.guid, guids.get(both!.employeeId))
        assert.ok(
          sameDn(renamed.dn, `CN=${escapeDnValue(want.displayName)},${departmentOu('Brand "Voice" & Content')}`),
          renamed.dn,
        )
        const groups = await departmentGroups()
        assert.ok(groups.get('DEPGRP_EN_RI')!.has(normalizeDn(moved.dn)), 'the mover is in the new department group')
        assert.ok(!groups.get(`DEPGRP_${mover!.unit}`)!.has(normalizeDn(moved.dn)), '…and out of the old one')
        assert.ok(groups.get('DEPGRP_MA_BRD')!.has(normalizeDn(renamed.dn)), 'renamed and moved, and in the new group')
        assert.deepEqual(planned(collectAndRun()), {}, 'both accounts match on the next run')
        await assertGroupsAsHr()
      })

      it('adds a person who gets a second contract to the second department group, keeping the first', async () => {
        const [person] = pickEmployees(1, (e) => e.unit !== 'EN_DOC')
        new CsvFile(path.join(hrDir, 'contracts.csv')).append({
          contract_id: 'C9900001',
          employee_id: person!.employeeId,
          organizational_unit: 'EN_DOC',
          job_title: 'Technical Writer',
          start_date: '01-01-2000', // started before the other: the account stays where it is
          fte: '0,2',
          contract_type: 'temporary',
        })
        const result = collectAndRun()
        assert.deepEqual(planned(result), { membership_add: 1 })
        const dn = normalizeDn((await accounts(fresh)).get(person!.employeeId)!.dn)
        const groups = await departmentGroups()
        assert.ok(groups.get('DEPGRP_EN_DOC')!.has(dn) && groups.get(`DEPGRP_${person!.unit}`)!.has(dn), 'in both')
        await assertGroupsAsHr()
      })

      it('removes members no role grants, a nested group too, keeps an unmanaged group as it is, and never flattens', async () => {
        const groups = await departmentGroups()
        const [extra, nested] = pickEmployees(2, (e) => e.unit !== 'EN_DOC')
        const actual = await accounts(fresh)
        const extraDn = actual.get(extra!.employeeId)!.dn
        const nestedDn = actual.get(nested!.employeeId)!.dn
        const managedDn = (await fresh.client.search(groupsOu, { scope: 'one', filter: '(cn=DEPGRP_EN_DOC)' }))
          .searchEntries[0]!.dn
        // An administrator's group of their own under OU=Groups (no role references it), with a
        // member, nested into a managed group; and someone added to the managed group by hand.
        const teamDn = `CN=Team ${tag},${groupsOu}`
        await fresh.client.add(teamDn, {
          objectClass: ['top', 'group'],
          cn: `Team ${tag}`,
          sAMAccountName: `team-${tag}`,
          member: [nestedDn],
        })
        await fresh.client.modify(managedDn, [
          new Change({ operation: 'add', modification: new Attribute({ type: 'member', values: [teamDn, extraDn] }) }),
        ])
        const result = collectAndRun()
        assert.deepEqual(planned(result), { membership_remove: 2 })
        let now = await groupMembers(fresh, groupsOu)
        assert.deepEqual([...now.get('DEPGRP_EN_DOC')!].sort(), [...groups.get('DEPGRP_EN_DOC')!].sort(), 'as before')
        assert.deepEqual([...now.get(`Team ${tag}`)!], [normalizeDn(nestedDn)], 'the unmanaged group is untouched')

        // A role that grants the nested group: it is added as a member, and its own member is not.
        appendFileSync(
          path.join(dir, 'filters', 'roles.yaml'),
          `---\nkind: Filter\nname: team_group\nstart: ad.groups AS g\nwhere: g.cn = 'Team ${tag}'\noutput: [g.dn]\n`,
        )
        appendFileSync(
          path.join(dir, 'roles', 'role-model.yaml'),
          [
            'roles:',
            '  - name: team_documents',
            '    filter: team_group',
            '    items:',
            '      - { system: ad, groupTable: groups, groupKey: dn, nameColumn: cn, member: g.dn, groups: [DEPGRP_EN_DOC] }',
            '',
          ].join('\n'),
        )
        const activated = run('roles', 'activate')
        assert.equal(activated.status, 0, activated.stderr)
        assert.deepEqual(planned(collectAndRun()), { membership_add: 1 })
        now = await groupMembers(fresh, groupsOu)
        assert.deepEqual(
          [...now.get('DEPGRP_EN_DOC')!].sort(),
          [...groups.get('DEPGRP_EN_DOC')!, normalizeDn(teamDn)].sort(),
          'the nested group is a member; its member is not (never flattened)',
        )
        assert.deepEqual(planned(collectAndRun()), {}, 'nothing more to do')
      })

      it('never shows a password: not in any output, and not in the vault', async () => {
        for (const output of outputs) assert.doesNotMatch(output, PASSWORD)
        assert.doesNotMatch(await vaultText(dir, schema), PASSWORD)
      })
    },
  )
}
