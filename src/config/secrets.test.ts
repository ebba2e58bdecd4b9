import assert from 'node:assert/strict'
import { after, describe, it } from 'node:test'
import { isProvisioError, renderIssue } from '../core/index.ts'
import { removeProject, writeProject, yaml } from './project-fixture.ts'
import { looksLikeSecretKey, resolveSystemSecrets } from './secrets.ts'
import { validateProject } from './validate-project.ts'

const dirs: string[] = []
after(async () => {
  for (const dir of dirs) await removeProject(dir)
})

describe('plain secrets', () => {
  it('recognises secret keys by their ending, in any case and with _ or -', () => {
    for (const key of [
      'password',
      'bindPassword',
      'PASSWD',
      'clientSecret',
      'client_secret',
      'token',
      'accessToken',
      'apiKey',
      'api_key',
      'API-KEY',
      'privateKey',
      'private_key',
    ]) {
      assert.equal(looksLikeSecretKey(key), true, key)
    }
    for (const key of ['tokenUrl', 'passwordPolicy', 'user', 'keyFile', 'secretsFolder']) {
      assert.equal(looksLikeSecretKey(key), false, key)
    }
  })

  it('rejects a plain secret under config, at any depth, without ever showing its value', async () => {
    const dir = await writeProject({
      's.yaml': yaml(
        'kind: System',
        'name: ad',
        'connector: ldap',
        'config:',
        '  bindDn: cn=admin',
        '  bindPassword: Sup3rS3cret!', // 6
        '  oauth:',
        '    client_secret: 0xDEADBEEF99', // 8
        '    api_key: ${env:AD_API_KEY}',
        '    token: ""',
        '    tokenUrl: https://login.example.com/token',
        'tables:',
        '  users: { columns: { id: string } }',
      ),
    })
    dirs.push(dir)
    const { project, issues } = await validateProject(dir)
    assert.deepEqual(
      issues.map((i) => `${i.line}:${i.column} ${i.code}`),
      ['6:17 CFG_PLAIN_SECRET', '8:20 CFG_PLAIN_SECRET'],
    )
    assert.equal(project.systems.length, 0)
    const text = JSON.stringify(issues) + issues.map(renderIssue).join('\n')
    assert.ok(!text.includes('Sup3rS3cret!'))
    assert.ok(!text.includes('DEADBEEF'))
    assert.ok(issues.every((i) => !('value' in i)))
    assert.equal(
      renderIssue(issues[0]!),
      [
        "s.yaml:6:17  error: 'bindPassword' holds a plain value; a secret must be a reference such as ${env:BIND_PASSWORD}. [CFG_PLAIN_SECRET]",
        '    at config.bindPassword',
        '    hint: Put the value in an environment variable and write `${env:NAME}` instead.',
      ].join('\n'),
    )
  })

  it('reports a plain secret even when the rest of the document has schema errors', async () => {
    const dir = await writeProject({ 's.yaml': yaml('kind: System', 'name: ad', 'config: { password: hunter2 }') })
    dirs.push(dir)
    const { issues } = await validateProject(dir)
    assert.ok(issues.some((i) => i.code === 'CFG_PLAIN_SECRET'))
    assert.ok(!JSON.stringify(issues).includes('hunter2'))
  })
})

describe('resolveSystemSecrets', () => {
  it('resolves ${env:NAME} references deeply and leaves other values alone', () => {
    const config = {
      url: 'ldap://${env:HOST}:389',
      bindPassword: '${env:PW}',
      nested: { list: ['${env:PW}', 3] },
      port: 389,
    }
    const resolved = resolveSystemSecrets(config, { HOST: 'dc1', PW: 'pa55' })
    assert.deepEqual(resolved, {
      url: 'ldap://dc1:389',
      bindPassword: 'pa55',
      nested: { list: ['pa55', 3] },
      port: 389,
    })
    assert.equal(config.bindPassword, '${env:PW}')
  })

  it('throws CFG_SECRET_UNRESOLVED naming every missing variable and no value', () => {
    const config = { bindPassword: '${env:AD_PASSWORD}', url: '${env:HOST}/${env:BASE}', other: '${env:SET}' }
    assert.throws(
      () => resolveSystemSecrets(config, { SET: 'visible-value', HOST: 'h' }, { system: 'ad' }),
      (error: unknown) => {
        assert.ok(isProvisioError(error))
        assert.equal(error.code, 'CFG_SECRET_UNRESOLVED')
        assert.equal(error.message, "System 'ad' refers to environment variables AD_PASSWORD, BASE, which are not set.")
        assert.deepEqual(error.details, { missing: ['AD_PASSWORD', 'BASE'] })
        assert.ok(!JSON.stringify(error.toJSON()).includes('visible-value'))
        return true
      },
    )
  })

  it('names a single missing variable in the singular', () => {
    assert.throws(() => resolveSystemSecrets({ token: '${env:TOKEN}' }, {}), {
      code: 'CFG_SECRET_UNRESOLVED',
      message: 'The configuration refers to environment variable TOKEN, which is not set.',
    })
  })

  it('names a ${secret:name} missing from the secret store and the command that sets it', () => {
    assert.throws(() => resolveSystemSecrets({ token: '${secret:ad_token}' }, {}), {
      code: 'CFG_SECRET_UNRESOLVED',
      message: 'The configuration refers to secret ad_token, which is not in the secret store.',
      hint: 'Set it with: provisio secrets set ad_token (docs/secrets.md).',
    })
  })

  it('resolves ${secret:name} from the values loaded from the secret store', () => {
    const secrets = new Map([['ad_token', 'from-the-store']])
    const resolved = resolveSystemSecrets({ token: 'Bearer ${secret:ad_token}' }, {}, { secrets })
    assert.deepEqual(resolved, { token: 'Bearer from-the-store' })
  })

  it('names missing variables and secrets together', () => {
    assert.throws(() => resolveSystemSecrets({ a: '${env:A}', b: '${secret:b1}', c: '${secret:b2}' }, {}), {
      message:
        'The configuration refers to environment variable A, which is not set, and secrets b1, b2, which are not in the secret store.',
    })
  })
})
