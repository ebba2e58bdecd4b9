/**
 * Progress of long work (collect, evaluate, execute). Producers call `update`; the CLI renders a bar,
 * plain lines or JSON events, and the server forwards it to the Studio.
 */
export interface ProgressEvent {
  /** What is being done: `collect hr.employees`. */
  readonly task: string
  readonly done: number
  /** Total when known in advance. */
  readonly total?: number | undefined
  readonly unit?: string | undefined
}

export type ProgressListener = (event: ProgressEvent) => void

export const noProgress: ProgressListener = () => {}
