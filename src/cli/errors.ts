import { defineErrors } from '../core/index.ts'

export const cliError = defineErrors('cli', {
  CLI_USAGE: {
    audience: 'user',
    title: 'The command line is not valid.',
    hint: 'Run the command with --help for its options and examples.',
  },
  CLI_PROJECT_NOT_FOUND: {
    audience: 'user',
    title: 'The project folder does not exist.',
    hint: 'Pass the folder that holds the YAML documents with --project DIR (default: the current folder).',
  },
  CLI_CONFIRMATION_REQUIRED: {
    audience: 'user',
    title: 'A destructive command needs an explicit confirmation.',
    hint: 'Add --yes to confirm.',
  },
})
