import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { ProvisioError } from '../../core/index.ts'
import { Limiter } from './limiter.ts'
import { backoffDelay, withRetry } from './retry.ts'

const policy = { maxAttempts: 4, retryDelayMs: 100, maxRetryDelayMs: 1000 }
const retryable = (retryAfterMs?: number) =>
  new ProvisioError('CON_X', 'busy', { audience: 'operational', retry: 'safe' }, { retryAfterMs })

describe('withRetry', () => {
  it('tries a retryable failure again, waiting longer each time, until it succeeds', async () => {
    const waits: number[] = []
    let calls = 0
    const result = await withRetry(
      async () => {
        if (++calls < 3) throw retryable()
        return 'done'
      },
      policy,
      { sleep: async (ms) => void waits.push(ms) },
    )
    assert.deepEqual(result, { value: 'done', attempts: 3 })
    assert.equal(waits.length, 2)
    assert.ok(waits[0]! >= 80 && waits[0]! <= 100 && waits[1]! >= 160 && waits[1]! <= 200, String(waits))
  })

  it('honours the Retry-After the target gave, capped at the longest delay', async () => {
    const waits: number[] = []
    let calls = 0
    await withRetry(
      async () => {
        if (++calls === 1) throw retryable(5000)
        if (calls === 2) throw retryable(250)
      },
      policy,
      { sleep: async (ms) => void waits.push(ms) },
    )
    assert.deepEqual(waits, [1000, 250])
  })

  it('fails at once for a failure that is not retryable, and after the last try for one that is', async () => {
    let calls = 0
    const fatal = new ProvisioError('CON_Y', 'taken', { audience: 'user', retry: 'never' })
    await assert.rejects(
      withRetry(
        async () => {
          calls++
          throw fatal
        },
        policy,
        { sleep: async () => {} },
      ),
      (e: unknown) => (e as ProvisioError).code === 'CON_Y',
    )
    assert.equal(calls, 1)
    calls = 0
    await assert.rejects(
      withRetry(
        async () => {
          calls++
          throw retryable()
        },
        policy,
        { sleep: async () => {} },
      ),
    )
    assert.equal(calls, 4)
  })

  it('computes doubling delays with jitter below the cap', () => {
    for (let attempt = 1; attempt <= 6; attempt++) {
      const delay = backoffDelay(policy, attempt)
      const base = Math.min(100 * 2 ** (attempt - 1), 1000)
      assert.ok(delay <= base && delay >= base * 0.8, `${attempt}: ${delay}`)
    }
  })
})

describe('Limiter', () => {
  it('never runs more than its limit at once and runs everything', async () => {
    const limiter = new Limiter(3)
    let running = 0
    let most = 0
    const done = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        limiter.run(async () => {
          most = Math.max(most, ++running)
          await new Promise((r) => setImmediate(r))
          running--
          return i
        }),
      ),
    )
    assert.equal(most, 3)
    assert.equal(done.length, 20)
    assert.throws(() => new Limiter(0), RangeError)
  })
})
