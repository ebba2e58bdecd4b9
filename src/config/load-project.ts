/**
 * Loading a project: every YAML document of a folder, with its kind, name and positions, and every
 * problem of the files themselves (encoding, syntax, duplicate keys) and of the documents' envelope
 * (kind and name). Never throws for bad input: problems come back as issues, all at once.
 */
import { documentSpan } from './replace-document.ts'
import { type Document, isMap, isScalar, isSeq, LineCounter, parseAllDocuments } from 'yaml'
import { closestMatch, type Issue } from '../core/index.ts'
import { fileIssue, issueAt, sortIssues } from './issues.ts'
import { EMBEDDED_KINDS, FUTURE_KINDS, knownKinds } from './kinds.ts'
import { type LoadedDocument, loadedDocument } from './loaded-document.ts'
import { type ProjectOverlay, checkOverlay, findYamlFiles, isDirectory, readProjectUtf8 } from './project-files.ts'
import { isUsable, yamlIssues } from './yaml-issues.ts'
import { toPosition } from './yaml-positions.ts'

/** Document names: they appear in references (`hr500.employees`) and in the vault's table names. */
export const DOCUMENT_NAME = /^[A-Za-z][A-Za-z0-9_]*$/

/** What {@link loadProject} found: the documents and every problem of the files and envelopes. */
export interface LoadedProject {
  /** The project folder as given. */
  readonly dir: string
  /** The YAML files found, relative to `dir`, sorted. */
  readonly files: readonly string[]
  /** Every document of a supported kind with a valid, unique name, in file order. */
  readonly documents: readonly LoadedDocument[]
  /** Every problem found, sorted by file, line and column. */
  readonly issues: readonly Issue[]
}

/** Options of {@link loadProject}. */
export interface LoadProjectOptions {
  /** The kinds to accept. @default every kind in the registry (knownKinds()) */
  readonly kinds?: readonly string[]
  /**
   * The project as an edit would leave it: files' new text, or null for a removed file (see
   * ProjectOverlay). Nothing is written; files not in it are read from `dir`. Throws BUG_UNEXPECTED
   * for a path that is not plainly inside the project. @default none
   */
  readonly files?: ProjectOverlay | undefined
}

/**
 * Reads every *.yaml / *.yml file under `dir` (recursively; node_modules and dot-folders skipped)
 * and returns its documents and all problems found.
 *
 * @example
 * const { documents, issues } = await loadProject('examples/hr500')
 * const edited = await loadProject('examples/hr500', { files: new Map([['filters/new.yaml', text]]) })
 */
export async function loadProject(dir: string, options: LoadProjectOptions = {}): Promise<LoadedProject> {
  const overlay = options.files ?? new Map<string, string | null>()
  await checkOverlay(dir, overlay)
  if (!(await isDirectory(dir))) {
    const issue = fileIssue('CFG_PROJECT_NOT_FOUND', `Project folder '${dir}' does not exist or is not a folder.`, {})
    return { dir, files: [], documents: [], issues: [issue] }
  }
  const kinds = options.kinds ?? knownKinds()
  const files = await findYamlFiles(dir, overlay)
  const issues: Issue[] = []
  const documents: LoadedDocument[] = []
  let found = 0
  const contents = await Promise.all(files.map((file) => readProjectUtf8(dir, file, overlay)))
  files.forEach((file, i) => {
    const decoded = contents[i]
    if (decoded === undefined) return
    if (!decoded.ok) {
      found += 1
      issues.push(fileIssue('CFG_INVALID_ENCODING', 'The file is not valid UTF-8.', { file, ...decoded.at }))
      return
    }
    const parsed = parseFile(decoded.text, file, kinds)
    found += parsed.found
    issues.push(...parsed.issues)
    documents.push(...parsed.documents)
  })
  const unique = dropDuplicateNames(documents, issues)
  if (found === 0) {
    issues.push(
      fileIssue(
        'CFG_EMPTY_PROJECT',
        `No YAML documents found in '${dir}' (looked for *.yaml and *.yml, recursively).`,
        {},
      ),
    )
  }
  return { dir, files, documents: unique, issues: sortIssues(issues) }
}

/**
 * The documents of one YAML text, as {@link loadProject} reads each file: `file` names the text in
 * issues (a path, or a label such as `role model 3 (active)` for text stored in the vault).
 *
 * @example
 * const { documents, issues } = parseDocuments(text, 'role model 3 (active)', ['RoleModel'])
 */
export function parseDocuments(
  text: string,
  file: string,
  kinds: readonly string[] = knownKinds(),
): { readonly documents: readonly LoadedDocument[]; readonly issues: readonly Issue[]; readonly found: number } {
  return parseFile(text, file, kinds)
}

function parseFile(text: string, file: string, kinds: readonly string[]) {
  const lineCounter = new LineCounter()
  // uniqueKeys is yaml's default; spelled out because a repeated key silently losing a value is
  // exactly the kind of mistake validation exists for. Positions come from our LineCounter.
  const parsed = parseAllDocuments(text, { lineCounter, uniqueKeys: true, prettyErrors: false })
  const issues: Issue[] = []
  const documents: LoadedDocument[] = []
  let found = 0
  parsed.forEach((yaml, index) => {
    // An empty document (a comment-only file, a trailing `---`) holds nothing to validate.
    if (yaml.contents === null && yaml.errors.length === 0) return
    found += 1
    issues.push(...yamlIssues(yaml, lineCounter, file, text))
    if (!isUsable(yaml)) return
    const { start, end } = documentSpan(text, parsed, index)
    const document = envelope(yaml, lineCounter, { file, index, source: text.slice(start, end) }, kinds, issues)
    if (document !== undefined) documents.push(document)
  })
  return { issues, documents, found }
}

/** Checks that a document is a mapping with a supported `kind` and a valid `name`. */
function envelope(
  yaml: Document.Parsed,
  lineCounter: LineCounter,
  place: { readonly file: string; readonly index: number; readonly source: string },
  kinds: readonly string[],
  issues: Issue[],
): LoadedDocument | undefined {
  const { file } = place
  if (!isMap(yaml.contents)) {
    const at = toPosition(lineCounter, yaml.contents?.range[0] ?? yaml.range[0])
    const what = yaml.contents === null ? 'empty' : describeNode(yaml.contents)
    issues.push(
      fileIssue('CFG_NOT_A_MAPPING', `The document is ${what}; expected a mapping with kind and name.`, {
        file,
        ...at,
      }),
    )
    return undefined
  }
  const value = plainValue(yaml, lineCounter, file, issues)
  if (value === undefined) return undefined
  const provisional = loadedDocument({ kind: '', name: '', ...place, value, yaml }, lineCounter)
  const kind = checkKind(provisional, value['kind'], kinds, issues)
  const name = checkName(provisional, value['name'], issues)
  if (kind === undefined || name === undefined) return undefined
  return loadedDocument({ kind, name, ...place, value, yaml }, lineCounter)
}

function checkKind(
  document: LoadedDocument,
  kind: unknown,
  kinds: readonly string[],
  issues: Issue[],
): string | undefined {
  const supported = `Supported kinds: ${kinds.join(', ')}.`
  if (kind === undefined || kind === null) {
    issues.push(
      issueAt(document, 'CFG_UNKNOWN_KIND', 'The document has no `kind`.', ['kind'], {
        hint: `Add \`kind:\`. ${supported}`,
      }),
    )
    return undefined
  }
  if (typeof kind !== 'string') {
    issues.push(
      issueAt(document, 'CFG_UNKNOWN_KIND', "The document's `kind` must be text.", ['kind'], { hint: supported }),
    )
    return undefined
  }
  if (kinds.includes(kind)) return kind
  const embedded = Object.hasOwn(EMBEDDED_KINDS, kind) ? EMBEDDED_KINDS[kind] : undefined
  if (embedded !== undefined) {
    issues.push(
      issueAt(document, 'CFG_UNKNOWN_KIND', `Kind '${kind}' is not a document of its own.`, ['kind'], {
        hint: embedded,
        value: kind,
      }),
    )
    return undefined
  }
  if (FUTURE_KINDS.includes(kind)) {
    issues.push(
      issueAt(
        document,
        'CFG_KIND_NOT_SUPPORTED',
        `Kind '${kind}' is not supported yet by this version of Provisio.`,
        ['kind'],
        {
          hint: `Remove the document or move it out of the project folder for now. ${supported}`,
          value: kind,
        },
      ),
    )
    return undefined
  }
  const near = closestMatch(kind, kinds) ?? closestMatch(kind, FUTURE_KINDS)
  const hint =
    near === undefined
      ? supported
      : `Did you mean '${near}'?${kinds.includes(near) ? '' : ' (not supported yet)'} ${supported}`
  issues.push(issueAt(document, 'CFG_UNKNOWN_KIND', `Unknown kind '${kind}'.`, ['kind'], { hint, value: kind }))
  return undefined
}

function checkName(document: LoadedDocument, name: unknown, issues: Issue[]): string | undefined {
  if (name === undefined || name === null) {
    issues.push(issueAt(document, 'CFG_MISSING_NAME', 'The document has no `name`.', ['name']))
    return undefined
  }
  if (typeof name !== 'string' || !DOCUMENT_NAME.test(name)) {
    issues.push(
      issueAt(
        document,
        'CFG_INVALID_NAME',
        `Name ${typeof name === 'string' ? `'${name}'` : JSON.stringify(name)} is not valid: start with a letter, then use only letters, digits and '_'.`,
        ['name'],
        {
          value: typeof name === 'string' || typeof name === 'number' || typeof name === 'boolean' ? name : undefined,
        },
      ),
    )
    return undefined
  }
  return name
}

/** Keeps the first document of each kind and name (case-insensitive) and reports the others. */
function dropDuplicateNames(documents: readonly LoadedDocument[], issues: Issue[]): LoadedDocument[] {
  const firsts = new Map<string, LoadedDocument>()
  return documents.filter((document) => {
    const key = `${document.kind}\u0000${document.name.toLowerCase()}`
    const first = firsts.get(key)
    if (first === undefined) {
      firsts.set(key, document)
      return true
    }
    const at = first.positionOf(['name'])
    const same = first.name === document.name ? '' : ` as '${first.name}' (names are compared without case)`
    issues.push(
      issueAt(
        document,
        'CFG_DUPLICATE_NAME',
        `${document.kind} '${document.name}' is already defined${same} in ${first.file}:${at.line}:${at.column}.`,
        ['name'],
        {
          value: document.name,
        },
      ),
    )
    return false
  })
}

function describeNode(node: unknown): string {
  if (isSeq(node)) return 'a list'
  return isScalar(node) ? 'a single value' : 'not a mapping'
}

/**
 * The document as a plain object. yaml refuses documents whose aliases expand too far (the
 * "billion laughs" attack) by throwing; that is bad input, so it becomes an issue, not a crash.
 */
function plainValue(
  yaml: Document.Parsed,
  lineCounter: LineCounter,
  file: string,
  issues: Issue[],
): Record<string, unknown> | undefined {
  try {
    return yaml.toJS({ maxAliasCount: 100 }) as Record<string, unknown>
  } catch (error) {
    const at = toPosition(lineCounter, yaml.range[0])
    const reason = error instanceof Error ? error.message : String(error)
    issues.push(
      fileIssue(
        'CFG_YAML_SYNTAX',
        `The document cannot be read: ${reason.replace(/\.$/, '')}.`,
        { file, ...at },
        {
          hint: 'Use fewer aliases (*name); write the repeated values out instead.',
        },
      ),
    )
    return undefined
  }
}
