export {
  ProvisioError,
  isProvisioError,
  type Audience,
  type Retry,
  type Issue,
  type ProvisioErrorOptions,
} from './provisio-error.ts'
export { defineErrors, registeredErrors, type ErrorSpec, type ErrorFactory } from './registry.ts'
export { coreError } from './core-errors.ts'
export { toProvisioError } from './to-provisio-error.ts'
export { renderError, renderIssue, formatPath, formatLocation } from './render-error.ts'
