/** The filter routes' answers (src/server/routes/filters.ts, filter-preview.ts). */
import type { Issue } from '../../components/editor.tsx'

export interface FilterParameter {
  readonly name: string
  readonly type: string
  readonly default?: unknown
}

export interface FilterSummary {
  readonly name: string
  readonly description?: string | undefined
  readonly start: string
  readonly parameters: readonly FilterParameter[]
  readonly file: string
}

export interface FilterColumn {
  readonly name: string
  readonly type: string
}

export interface FilterRun {
  readonly filter: string
  readonly columns: readonly FilterColumn[]
  readonly total?: number | undefined
  readonly more: boolean
  readonly rows: readonly Record<string, unknown>[]
}

export interface FilterPreviewAnswer {
  readonly valid: boolean
  readonly issues: readonly Issue[]
  readonly rows: readonly Record<string, unknown>[]
  readonly count: number | null
  readonly columns: readonly FilterColumn[]
  readonly parameters: readonly FilterParameter[]
}

/** Parameter values typed in the Studio, without the empty ones (the filter's defaults apply). */
export function givenParameters(values: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v.trim() !== ''))
}
