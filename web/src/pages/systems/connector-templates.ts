/**
 * The YAML a new System document starts from, per connector (docs/connectors/*.md): the settings the
 * Add system form asks for filled in, the rest as commented defaults to adjust.
 */

export type ConnectorType = 'csv' | 'sql' | 'ldap'

export interface SystemForm {
  readonly connector: ConnectorType
  readonly name: string
  readonly description: string
  /** csv: the folder of the files; sql: the SQLite file or the PostgreSQL URL's variable; ldap: the URL. */
  readonly location: string
  readonly table: string
  /** Column names, comma- or space-separated (a CSV file's header). */
  readonly columns: string
  readonly primaryKey: string
  /** ldap only */
  readonly baseDN: string
  readonly bindDN: string
}

export const CONNECTORS: readonly {
  readonly type: ConnectorType
  readonly label: string
  readonly description: string
  readonly location: { readonly label: string; readonly placeholder: string; readonly help: string }
}[] = [
  {
    type: 'csv',
    label: 'CSV files',
    description: 'An export of an HR or other source system: one file per table in a folder. Read only.',
    location: {
      label: 'Folder',
      placeholder: 'files/hr',
      help: 'Relative to the project folder; one file per table (<table>.csv).',
    },
  },
  {
    type: 'sql',
    label: 'SQL database',
    description: 'A SQLite file or a PostgreSQL database. Collected, and written to by mappings.',
    location: {
      label: 'Database',
      placeholder: 'data/app.db  or  ${env:APP_DB_URL}',
      help: 'A SQLite file (relative to the project folder) or a reference to a PostgreSQL URL in the environment.',
    },
  },
  {
    type: 'ldap',
    label: 'LDAP directory',
    description: 'Active Directory, Samba AD or OpenLDAP: users, groups and memberships.',
    location: {
      label: 'URL',
      placeholder: 'ldaps://dc1.example.test',
      help: 'ldaps:// (or ldap:// with StartTLS). The password is read from the environment variable below.',
    },
  },
]

export const EMPTY_FORM: SystemForm = {
  connector: 'csv',
  name: '',
  description: '',
  location: '',
  table: '',
  columns: '',
  primaryKey: '',
  baseDN: '',
  bindDN: '',
}

/** `a, b c` → ['a', 'b', 'c'] */
export function columnList(text: string): string[] {
  return text
    .split(/[,;\s]+/)
    .map((c) => c.trim())
    .filter((c) => c !== '')
}

/** A name as YAML writes it: quoted when it is not a plain word. */
function key(name: string): string {
  return /^[A-Za-z_][A-Za-z0-9_.-]*$/.test(name) ? name : JSON.stringify(name)
}

function scalar(value: string): string {
  return value === '' || /[:#{}[\],&*!|>'"%@`]|^\s|\s$/.test(value) ? JSON.stringify(value) : value
}

function tableBlock(form: SystemForm, options: string[], fallbackColumns: readonly string[]): string[] {
  const table = form.table.trim() === '' ? 'people' : form.table.trim()
  const columns = columnList(form.columns)
  const names = columns.length === 0 ? fallbackColumns : columns
  const primary = form.primaryKey.trim() === '' ? names[0]! : form.primaryKey.trim()
  return [
    'tables:',
    `  ${key(table)}:`,
    ...(options.length === 0 ? [] : ['    options:', ...options.map((o) => `      ${o}`)]),
    `    primaryKey: ${key(primary)}`,
    '    columns:',
    ...names.map((c) => `      ${key(c)}: string`),
  ]
}

/** A line with its comment, comments aligned as in the rest of the template. */
function comment(line: string, text: string): string {
  return `${line.padEnd(28)} # ${text}`
}

/** The System document for the form's values. */
export function systemTemplate(form: SystemForm): string {
  const name = form.name.trim() === '' ? 'new_system' : form.name.trim()
  const head = [
    'kind: System',
    `name: ${key(name)}`,
    ...(form.description.trim() === '' ? [] : [`description: ${scalar(form.description.trim())}`]),
    `connector: ${form.connector}`,
  ]
  const location = form.location.trim()
  switch (form.connector) {
    case 'csv': {
      const table = form.table.trim() === '' ? 'people' : form.table.trim()
      return [
        ...head,
        'config:',
        comment(`  folder: ${scalar(location === '' ? `files/${name}` : location)}`, 'relative to the project folder'),
        '  delimiter: auto            # detected among , ; tab |',
        '  encoding: utf-8            # utf-8 | utf-16le | utf-16be | windows-1252',
        'guards:',
        '  maxRemoved: 10%            # an empty or truncated export must never empty the vault',
        ...tableBlock(form, [`file: ${scalar(`${table}.csv`)}`], ['id', 'first_name', 'last_name']),
        ...(columnList(form.columns).length === 0 ? ['      # birth_date: { type: date, format: DD-MM-YYYY }'] : []),
        '',
      ].join('\n')
    }
    case 'sql': {
      const setting = location.startsWith('${') || /^postgres/i.test(location) ? 'url' : 'file'
      return [
        ...head,
        'config:',
        `  ${setting}: ${scalar(location === '' ? `data/${name}.db` : location)}${setting === 'file' ? '   # a SQLite file; or  url: ${env:DB_URL}  (PostgreSQL)' : ''}`,
        '  # schema: public           # PostgreSQL only',
        'execution:',
        '  concurrency: 4             # operations at a time against this system',
        ...tableBlock(
          form,
          ['# readOnly: [id]           # columns the database fills', '# mandatory: [username]'],
          ['id', 'username', 'display_name'],
        ),
        '',
      ].join('\n')
    }
    case 'ldap':
      return [
        ...head,
        'config:',
        '  flavour: ad                # ad (Active Directory, Samba AD) or ldap (OpenLDAP)',
        `  url: ${scalar(location === '' ? 'ldaps://dc1.example.test' : location)}`,
        `  bindDN: ${scalar(form.bindDN.trim() === '' ? 'CN=svc-provisio,OU=Service Accounts,DC=example,DC=test' : form.bindDN.trim())}`,
        `  password: \${env:${name.toUpperCase().replace(/[^A-Z0-9]+/g, '_')}_PASSWORD}`,
        `  baseDN: ${scalar(form.baseDN.trim() === '' ? 'DC=example,DC=test' : form.baseDN.trim())}`,
        '  # tls: { ca: certs/example-ca.pem }',
        'execution:',
        '  concurrency: 8',
        ...tableBlock(form, [], ['objectGUID', 'dn', 'sAMAccountName', 'givenName', 'sn', 'mail']),
        '',
      ].join('\n')
  }
}
