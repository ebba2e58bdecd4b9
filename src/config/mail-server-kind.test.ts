import assert from 'node:assert/strict'
import { after, describe, it } from 'node:test'
import { brief, removeFixtures, validateWith } from './filter-fixture.ts'
import { yaml } from './project-fixture.ts'

after(removeFixtures)

async function server(...lines: string[]) {
  return validateWith({ 'mail/m.yaml': yaml('kind: MailServer', 'name: corp_mail', ...lines), 'certs/ca.pem': 'x' })
}

async function issuesOf(...lines: string[]) {
  const { issues } = await server(...lines)
  return brief(issues.filter((i) => i.file === 'mail/m.yaml'))
}

describe('MailServer kind', () => {
  it('resolves an smtp server with defaults (starttls on 587, 30s)', async () => {
    const { project, issues } = await server(
      'host: smtp.example.org',
      'user: provisio',
      'password: ${env:SMTP_PASSWORD}',
      'ca: certs/ca.pem',
      'from: Provisio <provisio@example.org>',
    )
    assert.deepEqual(brief(issues), [])
    const { document: _document, ...resolved } = project.mailServers[0]!
    assert.deepEqual(resolved, {
      name: 'corp_mail',
      file: 'mail/m.yaml',
      transport: 'smtp',
      security: 'starttls',
      host: 'smtp.example.org',
      port: 587,
      user: 'provisio',
      password: '${env:SMTP_PASSWORD}',
      ca: 'certs/ca.pem',
      from: 'Provisio <provisio@example.org>',
      timeout: 30_000,
    })
  })

  it('defaults the port by security and resolves a pickup server', async () => {
    const tls = await server('host: smtp.example.org', 'security: tls', 'from: a@example.org', 'timeout: 5s')
    assert.equal(tls.project.mailServers[0]?.port, 465)
    assert.equal(tls.project.mailServers[0]?.timeout, 5000)
    const plain = await server('host: 127.0.0.1', 'security: none', 'from: a@example.org')
    assert.equal(plain.project.mailServers[0]?.port, 25)
    const pickup = await server('transport: pickup', 'directory: mail/outbox', 'from: a@example.org')
    assert.deepEqual(brief(pickup.issues), [])
    assert.equal(pickup.project.mailServers[0]?.directory, 'mail/outbox')
    assert.equal(pickup.project.mailServers[0]?.host, undefined)
  })

  it('reports smtp without host, pickup without directory or with smtp keys, and a directory outside', async () => {
    assert.deepEqual(await issuesOf('from: a@example.org'), [
      'mail/m.yaml:2:7 CFG_MISSING_KEY An smtp mail server needs `host`. | Add `host: smtp.example.org`, or write `transport: pickup` with a `directory` to write .eml files instead.',
    ])
    assert.deepEqual(await issuesOf('transport: pickup', 'host: x', 'from: a@example.org'), [
      'mail/m.yaml:3:12 CFG_MISSING_KEY A pickup mail server needs `directory`. | Add `directory: mail/outbox`: the folder, relative to the project folder, that receives one .eml file per mail.',
      'mail/m.yaml:4:1 CFG_UNKNOWN_KEY `host` belongs to the smtp transport; this server uses pickup. | Remove `host`, or write `transport: smtp`.',
    ])
    assert.deepEqual(await issuesOf('transport: pickup', 'directory: out', 'from: a@example.org', 'timeout: 5s'), [
      'mail/m.yaml:6:1 CFG_UNKNOWN_KEY `timeout` belongs to the smtp transport; this server uses pickup. | Remove `timeout`, or write `transport: smtp`.',
    ])
    assert.deepEqual(await issuesOf('transport: pickup', 'directory: ../out', 'from: a@example.org'), [
      "mail/m.yaml:4:12 CFG_INVALID_VALUE The pickup folder '../out' is outside the project folder. | Write a folder relative to the project folder, such as mail/outbox.",
    ])
  })

  it('reports a password without user, a plain password, a missing CA file and a bad sender', async () => {
    assert.deepEqual(
      await issuesOf('host: smtp.example.org', 'password: hunter2', 'ca: certs/missing.pem', 'from: not an address'),
      [
        'mail/m.yaml:4:1 CFG_MISSING_KEY A `password` needs a `user` to log in as. | Add `user: <login name>`, or remove `password` when the server accepts mail without logging in.',
        "mail/m.yaml:4:11 CFG_PLAIN_SECRET 'password' holds a plain value; a secret must be a reference such as ${env:PASSWORD}. | Put the value in an environment variable and write `${env:NAME}` instead.",
        "mail/m.yaml:5:5 CFG_INVALID_VALUE The CA file 'certs/missing.pem' does not exist. | Write the path of a PEM file, relative to the project folder.",
        "mail/m.yaml:6:7 CFG_INVALID_VALUE 'not an address' is not a mail address. | Write an address such as provisio@example.org or Provisio <provisio@example.org>.",
      ],
    )
  })

  it('reports security none to a host that is not this machine', async () => {
    assert.deepEqual(await issuesOf('host: smtp.example.org', 'security: none', 'from: a@example.org'), [
      "mail/m.yaml:4:11 CFG_INSECURE_TRANSPORT `security: none` sends to 'smtp.example.org' unencrypted: credentials and reports would cross the network in the clear. | Use `security: starttls` (port 587) or `tls` (port 465); `none` is allowed only for 127.0.0.1, ::1 or localhost.",
    ])
    for (const host of ['localhost', "'::1'"]) {
      assert.deepEqual(await issuesOf(`host: ${host}`, 'security: none', 'from: a@example.org'), [])
    }
  })
})
