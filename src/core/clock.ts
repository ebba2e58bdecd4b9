/** Time as the engine sees it; tests inject a fixed or stepping clock. */
export interface Clock {
  now(): Date
}

export const systemClock: Clock = { now: () => new Date() }
