import { defineErrors } from '../core/index.ts'

export const connectorError = defineErrors('connectors', {
  CON_UNKNOWN_CONNECTOR: {
    audience: 'user',
    title: 'A System names a connector type that does not exist.',
    hint: 'Use one of the connector types Provisio has (`provisio connectors` lists them).',
  },
  CON_UNKNOWN_SYSTEM: {
    audience: 'user',
    title: 'The system named is not in the project.',
    hint: "`provisio validate` lists the project's systems; names are those of the System documents.",
  },
  CON_INVALID_TABLE: {
    audience: 'user',
    title:
      'A declared table does not fit its connector: options against its columns, or a column the connector refuses.',
    hint: "Change the table's options or columns as the message says; the connector's page in docs/connectors explains them.",
  },
  CON_UNKNOWN_TABLE: {
    audience: 'user',
    title: "The table named is not in the system's data model.",
    hint: 'Use a table declared under `tables:` of the System document.',
  },
})
