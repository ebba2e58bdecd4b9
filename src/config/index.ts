/**
 * config: the project as code (DESIGN.md §3). A project is a folder of YAML documents, each with a
 * `kind` and a `name`. This layer loads them, validates each strictly with its kind's zod schema and
 * cross-checks, and resolves the valid ones into the data model of src/core. Problems are returned
 * as positioned issues (file, line, column, path, hint), all at once; rendering them is core's job.
 *
 * Other layers import only this file.
 */
export { configError, type ConfigErrorCode } from './errors.ts'
export {
  loadProject,
  parseDocuments,
  DOCUMENT_NAME,
  type LoadedProject,
  type LoadProjectOptions,
} from './load-project.ts'
export type { LoadedDocument } from './loaded-document.ts'
export { issuesByDocument, findDocument } from './document-issues.ts'
export type { DocumentPath, Position, PositionOptions } from './yaml-positions.ts'
export {
  validateProject,
  loadValidProject,
  hasErrors,
  type ValidatedProject,
  type ValidateProjectOptions,
} from './validate-project.ts'
export type { ProjectOverlay } from './project-files.ts'
export { validateDocumentPart, type PartValidation } from './zod-issues.ts'
export { configHints, type ConfigHint } from './schema-walk.ts'
export { issueAt, sortIssues, type IssueOptions } from './issues.ts'
export { kindRegistry, knownKinds, FUTURE_KINDS, EMBEDDED_KINDS, type KnownKind } from './kinds.ts'
export type { KindDefinition, KindContext } from './kind-definition.ts'
export { systemSchema, COLUMN_TYPE_ALIASES, IDENTIFIER, type SystemDocument } from './system-schema.ts'
export { deriveManyToMany, type SystemConfig, type ManyToManyRelation } from './system-config.ts'
export { DEFAULT_GUARDS, resolveGuards, type GuardsConfig, type GuardLimit } from './guards.ts'
export { resolveSystemSecrets, looksLikeSecretKey, plainSecretIssues } from './secrets.ts'
export type {
  ColumnRef,
  LinkConfig,
  JoinMode,
  JoinVia,
  JoinItem,
  LookupItem,
  FilterParameter,
  ComputedColumn,
  FilterConfig,
} from './filter-model.ts'
export { JOIN_MODES } from './filter-model.ts'
export { linkSchema, type LinkDocument } from './link-schema.ts'
export { filterSchema, TABLE_REF, type FilterDocument, type JoinDocument } from './filter-schema.ts'
export { DEFAULT_MAX_MULTIPLICATION } from './filter-config.ts'
export { parseDefault } from './filter-parameters.ts'
export {
  checkDocumentExpression,
  type DocumentExpressionOptions,
  type DocumentExpressionResult,
} from './filter-expressions.ts'
export type {
  ExpressionText,
  OperationLimit,
  GeneratedName,
  NameGeneratorConfig,
  PasswordCharacterClass,
  PasswordGeneratorConfig,
  MappingAttribute,
  MappingConfig,
  JobStep,
  MappingJobStep,
  MembershipsJobStep,
  JobConfig,
} from './engine-model.ts'
export { nameGeneratorSchema, type NameGeneratorDocument } from './name-generator-schema.ts'
export { allowedCharacterTest, PASSWORD_NAME } from './name-generator-checks.ts'
export { GENERATED_ALIAS } from './generator-expressions.ts'
export { passwordGeneratorSchema, type PasswordGeneratorDocument } from './password-generator-schema.ts'
export {
  effectiveCharacters,
  PASSWORD_CLASS_NAMES,
  SIMILAR_CHARACTERS,
  STANDARD_CHARACTERS,
} from './password-classes.ts'
export { mappingSchema, expressionValueSchema, type MappingDocument } from './mapping-schema.ts'
export { jobSchema, thresholdSchema, type JobDocument } from './job-schema.ts'
export { taskSchema, type TaskDocument } from './task-schema.ts'
export type { TaskConfig, SyncTaskConfig, ExportTaskConfig, TaskSchedule } from './task-model.ts'
export { nextTaskRun } from './task-schedule.ts'
export { projectRevision, type ProjectRevision, type RevisionDocumentSource } from './project-revision.ts'
export { FILE_PLACEHOLDERS } from './task-checks.ts'
export type {
  RoleModelConfig,
  RoleConfig,
  RoleGeneratorConfig,
  RoleItemConfig,
  RoleGroups,
  RoleBinding,
} from './role-model.ts'
export { roleModelSchema, type RoleModelDocument } from './role-model-schema.ts'
export { validateStoredRoleModel } from './role-model-stored.ts'
export {
  replaceDocument,
  replaceDocumentAt,
  replaceDocumentInFile,
  writeFileAtomically,
  type EditedText,
  type ReplaceDocumentOptions,
} from './replace-document.ts'
export {
  DOCUMENT_FOLDERS,
  appendDocument,
  defaultDocumentFile,
  documentCount,
  isEmptyDocument,
  removeDocument,
} from './document-edit.ts'
export { resolveDocument, type ReferencedKind } from './document-references.ts'
export { expressionNames, type ExpressionName } from './generator-expressions.ts'
export {
  DEFAULT_EXECUTION,
  executionOf,
  executionSchema,
  resolveExecution,
  type ExecutionConfig,
} from './system-execution.ts'
export type {
  EventActionConfig,
  EventActionTarget,
  EmailAction,
  WebhookAction,
  TemplateConfig,
  TemplateText,
  MailServerConfig,
} from './event-action-model.ts'
export { mailServerSchema, type MailServerDocument } from './mail-server-schema.ts'
export { DEFAULT_SMTP_PORTS, DEFAULT_MAIL_TIMEOUT_MS } from './mail-server-checks.ts'
export { templateSchema, type TemplateDocument } from './template-schema.ts'
export { templateTextPosition, type TextPosition } from './template-positions.ts'
export {
  createTemplateEngine,
  renderTemplateText,
  templateFilters,
  templateFilterTables,
  templateErrorPosition,
  FILTER_TABLE_DEFAULT_LIMIT,
  FILTER_TABLE_MAX_LIMIT,
  type FilterTableRequest,
  type FilterTableUse,
  type TemplateFormat,
  type TemplateTagRenderers,
} from './template-syntax.ts'
export { eventActionSchema, type EventActionDocument } from './event-action-schema.ts'
export { DEFAULT_WEBHOOK_TIMEOUT_MS, DEFAULT_WEBHOOK_RETRIES } from './event-action-checks.ts'
export { compileEventFilter, eventFilterScope } from './event-action-filter.ts'
