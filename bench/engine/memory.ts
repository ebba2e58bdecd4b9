/**
 * Memory of one measured phase, in the worker process that runs it:
 * - peak RSS: the process's high-water mark (maxRSS), what the machine had to give;
 * - peak heap: the largest used V8 heap seen, sampled on a timer and during progress (it includes
 *   garbage not yet collected, so it moves with the collector's timing);
 * - live heap: the used heap right after a full collection forced halfway through the phase and at
 *   its last unit of work, i.e. what was still reachable. This is the figure that shows whether
 *   memory grows with the plan. Two forced collections per phase, whatever its size, so they cost
 *   the timing the same small amount at 100k and at 1M.
 */
import v8 from 'node:v8'

export interface MemoryFigures {
  readonly peakRssMB: number
  readonly peakHeapMB: number
  /** The larger of the two live-heap readings; undefined without `--expose-gc` or progress. */
  readonly liveHeapMB: number | undefined
}

const MB = 2 ** 20
/** Progress calls between two heap samples: often enough to see the peak, rare enough to cost nothing. */
const SAMPLE_EVERY = 200

export class MemorySampler {
  private peakHeap = 0
  private live: number | undefined
  private calls = 0
  private readonly checkpoints: number[]
  private readonly timer: NodeJS.Timeout

  /** `total`: the units of work the phase will report through {@link progress} (rows or operations). */
  constructor(total: number) {
    this.checkpoints = total > 0 ? [Math.ceil(total / 2), total] : []
    this.timer = setInterval(() => this.sample(), 50)
    this.timer.unref()
    this.sample()
  }

  /** Call with the units done so far; a synchronous stretch of work may starve the timer. */
  progress(done: number): void {
    if (++this.calls % SAMPLE_EVERY === 0) this.sample()
    while (this.checkpoints.length > 0 && done >= this.checkpoints[0]!) {
      this.checkpoints.shift()
      this.sample()
      const gc = (globalThis as { gc?: () => void }).gc
      if (gc === undefined) continue
      gc()
      this.live = Math.max(this.live ?? 0, v8.getHeapStatistics().used_heap_size)
    }
  }

  private sample(): void {
    const used = v8.getHeapStatistics().used_heap_size
    if (used > this.peakHeap) this.peakHeap = used
  }

  stop(): MemoryFigures {
    this.sample()
    clearInterval(this.timer)
    return {
      peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
      peakHeapMB: Math.round(this.peakHeap / MB),
      liveHeapMB: this.live === undefined ? undefined : Math.round(this.live / MB),
    }
  }
}
