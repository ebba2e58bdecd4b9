/**
 * What the server worker of suite `server` (bench/server/worker.ts) and the suite tell each other
 * over the IPC channel, and the bench user both sides know.
 */

/** The bench's user: an auditor, the least role that may read the vault and run filters. */
export const BENCH_USER = 'bench'
export const BENCH_PASSWORD = 'bench-password-for-the-server-suite'

/** The worker's first message: where it listens and how to get in. */
export interface Ready {
  readonly port: number
  readonly certFile: string
  readonly token: string
  /** The time the vault's collection took, 0 when an earlier run's vault is reused. */
  readonly collectMs: number
}

/** The worker's answer to 'stop', after the server closed. */
export interface Stopped {
  readonly peakRssMB: number
  readonly cpuMs: number
}
