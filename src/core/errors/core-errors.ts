import { defineErrors } from './registry.ts'

export const coreError = defineErrors('core', {
  BUG_UNEXPECTED: {
    audience: 'bug',
    title: 'An unexpected internal error.',
    hint: 'This is a bug in Provisio. Run again with PROVISIO_DEBUG=1 for the stack trace and report it with the steps that led to it.',
  },
  CORE_ABORTED: {
    audience: 'operational',
    title: 'The work was cancelled before it finished.',
    hint: 'Nothing more was done after the cancel. Start the work again when ready.',
  },
})
