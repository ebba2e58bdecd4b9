/**
 * The Liquid dialect of Templates (docs/events.md): the one engine factory that the config layer
 * uses to parse (check) a template and the events layer uses to render it, so both accept exactly
 * the same texts.
 *
 * - `strictVariables` and `strictFilters`: a misspelt variable or filter fails instead of printing
 *   nothing.
 * - No file system: `include`, `render` and `layout` are not tags of this dialect (a template is one
 *   self-contained document), and the engine's file system finds no file.
 * - `{% filter_table 'name' limit: 50, dept: 'IT' %}` embeds a filter's result as a table;
 *   `{% plan_report %}` embeds the run's plans. Without renderers (the config layer) they only parse.
 * - In html format every `{{ output }}` is HTML-escaped (the safe default: an attribute value from a
 *   source system cannot inject markup into a mail); `| raw` as the last filter opts out. In text
 *   format nothing is escaped. The tags' renderers produce their own (escaped) markup.
 */
import { Context, Liquid, Tag, TypeGuards, type Emitter, type FS, type TagToken, type TopLevelToken } from 'liquidjs'
import type { Value } from '../core/index.ts'

/** What one `{% filter_table %}` asks for: a filter with literal parameter values, at most `limit` rows. */
export interface FilterTableRequest {
  readonly filter: string
  readonly parameters: Readonly<Record<string, Value>>
  readonly limit: number
}

export type TemplateFormat = 'text' | 'html'

/** A `{% filter_table %}` found in a text, with its 1-based line and column there (for positioned checks). */
export interface FilterTableUse extends FilterTableRequest {
  readonly line: number
  readonly column: number
}

/** What the tags render to, supplied by the events layer when it renders a template for an event. */
export interface TemplateTagRenderers {
  filterTable(request: FilterTableRequest, format: TemplateFormat): Promise<string>
  planReport(format: TemplateFormat): Promise<string>
}

/** Rows a `{% filter_table %}` shows when it does not say `limit:`. */
export const FILTER_TABLE_DEFAULT_LIMIT = 100
/** The most rows a `{% filter_table %}` may ask for: a mail is not an export. */
export const FILTER_TABLE_MAX_LIMIT = 10000

const FORMAT_REGISTER = 'provisio-template-format'

/** Per engine: the `{% filter_table %}` requests of the text being parsed (parse is synchronous). */
const collectors = new WeakMap<Liquid, { current: FilterTableUse[] | undefined }>()

/** A file system in which no file exists: templates never read files. */
const noFiles: FS = {
  exists: () => Promise.resolve(false),
  existsSync: () => false,
  readFile: (file) => Promise.reject(new Error(`templates cannot read files (${file})`)),
  readFileSync: (file) => {
    throw new Error(`templates cannot read files (${file})`)
  },
  resolve: (_dir, file) => file,
}

export function createTemplateEngine(renderers?: TemplateTagRenderers): Liquid {
  const engine = new Liquid({
    strictVariables: true,
    // Optional fields (an event's `message`, a count a run may lack) are tested with `if` or given
    // a `| default:`; strictness is for outputs that would silently print nothing.
    lenientIf: true,
    strictFilters: true,
    fs: noFiles,
    root: [],
    partials: [],
    layouts: [],
    relativeReference: false,
    outputEscape: function (this: { context: Context }, value: unknown): string {
      const text = textOf(value)
      return formatOf(this.context) === 'html' ? escapeHtml(text) : text
    },
  })
  for (const fileTag of ['include', 'render', 'layout']) {
    delete engine.tags[fileTag]
  }
  const collector: { current: FilterTableUse[] | undefined } = { current: undefined }
  collectors.set(engine, collector)

  engine.registerTag(
    'filter_table',
    class FilterTableTag extends Tag {
      private readonly request: FilterTableRequest
      constructor(token: TagToken, remainTokens: TopLevelToken[], liquid: Liquid) {
        super(token, remainTokens, liquid)
        this.request = readFilterTable(this.tokenizer)
        const [line = 1, column = 1] = token.getPosition()
        collector.current?.push({ ...this.request, line, column })
      }
      async render(ctx: Context, emitter: Emitter): Promise<void> {
        if (renderers) emitter.write(await renderers.filterTable(this.request, formatOf(ctx)))
      }
    },
  )
  engine.registerTag(
    'plan_report',
    class PlanReportTag extends Tag {
      constructor(token: TagToken, remainTokens: TopLevelToken[], liquid: Liquid) {
        super(token, remainTokens, liquid)
        this.tokenizer.skipBlank()
        if (!this.tokenizer.end())
          throw new Error(`plan_report takes no arguments, found "${this.tokenizer.remaining()}"`)
      }
      async render(ctx: Context, emitter: Emitter): Promise<void> {
        if (renderers) emitter.write(await renderers.planReport(formatOf(ctx)))
      }
    },
  )
  return engine
}

/**
 * Renders one template text. In `html` format every output is HTML-escaped unless its last filter is
 * `raw`; in `text` format nothing is escaped.
 */
export async function renderTemplateText(
  engine: Liquid,
  text: string,
  variables: Record<string, unknown>,
  format: TemplateFormat,
): Promise<string> {
  const templates = engine.parse(text)
  const context = new Context(variables, engine.options)
  context.setRegister(FORMAT_REGISTER, format)
  return String(await engine.render(templates, context))
}

/** The `{% filter_table %}` requests of a text, in order (the text must parse; a parse error is thrown). */
export function templateFilterTables(engine: Liquid, text: string): FilterTableUse[] {
  const collector = collectors.get(engine)
  if (!collector) throw new Error('templateFilterTables needs an engine made by createTemplateEngine')
  const found: FilterTableUse[] = []
  collector.current = found
  try {
    engine.parse(text)
  } finally {
    collector.current = undefined
  }
  return found
}

/** The names of the filters a text embeds with `{% filter_table %}`, each once, in order of first use. */
export function templateFilters(engine: Liquid, text: string): string[] {
  return [...new Set(templateFilterTables(engine, text).map((request) => request.filter))]
}

/** A Liquid parse error's message without liquidjs's position suffix, and its 1-based line/column in the text. */
export function templateErrorPosition(error: unknown): { message: string; line?: number; column?: number } {
  if (!(error instanceof Error)) return { message: String(error) }
  const token = (error as { token?: { getPosition?: () => [number, number] } }).token
  const message = error.message.replace(/, line:\d+, col:\d+$/, '')
  const position = token?.getPosition?.()
  return position ? { message, line: position[0], column: position[1] } : { message }
}

function formatOf(context: Context): TemplateFormat {
  return context.getRegister<TemplateFormat | undefined>(FORMAT_REGISTER) ?? 'text'
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }

/** What Liquid would print for a value: nothing for null, list items joined. */
function textOf(value: unknown): string {
  if (value === null || value === undefined) return ''
  if (Array.isArray(value)) return value.map(textOf).join('')
  // Template variables are plain data; an object prints as JSON rather than [object Object].
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
    ? String(value)
    : JSON.stringify(value)
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => HTML_ESCAPES[char] ?? char)
}

/** `'name' limit: 50, dept: 'IT'`: a quoted filter name, then options with literal values. */
function readFilterTable(tokenizer: Tag['tokenizer']): FilterTableRequest {
  const name = tokenizer.readQuoted()
  if (!name || name.content === '') throw new Error(`filter_table needs a filter name in quotes, like 'staff'`)
  const parameters: Record<string, Value> = {}
  let limit = FILTER_TABLE_DEFAULT_LIMIT
  for (const hash of tokenizer.readHashes()) {
    const key = hash.name.content
    const value = literalOf(hash.value)
    if (value === undefined)
      throw new Error(`filter_table option "${key}" needs a literal value: 'text', a number, true, false or nil`)
    if (key in parameters || (key === 'limit' && limit !== FILTER_TABLE_DEFAULT_LIMIT)) {
      throw new Error(`filter_table option "${key}" is given twice`)
    }
    if (key === 'limit') {
      if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > FILTER_TABLE_MAX_LIMIT) {
        throw new Error(`filter_table limit must be a whole number from 1 to ${String(FILTER_TABLE_MAX_LIMIT)}`)
      }
      limit = value
    } else {
      parameters[key] = value
    }
  }
  tokenizer.skipBlank()
  if (!tokenizer.end()) throw new Error(`filter_table: unexpected "${tokenizer.remaining()}"`)
  return { filter: name.content, parameters, limit }
}

function literalOf(token: unknown): Value | undefined {
  if (TypeGuards.isQuotedToken(token)) return token.content
  if (TypeGuards.isNumberToken(token)) return token.content
  if (TypeGuards.isLiteralToken(token)) {
    if (token.literal === 'true' || token.literal === 'false') return token.literal === 'true'
    if (token.literal === 'nil' || token.literal === 'null') return null
  }
  return undefined
}
