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
  CON_UNKNOWN_TABLE: {
    audience: 'user',
    title: "The table named is not in the system's data model.",
    hint: 'Use a table declared under `tables:` of the System document.',
  },
})
