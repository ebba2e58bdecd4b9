import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { ProvisioError } from '../../core/index.ts'
import { Limiter } from './limiter.ts'
import { RetryInterrupted, backoffDelay, withRetry } from './retry.ts'

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

  it('ends the retries with the value beforeRetry gives: the earlier try took effect after all', async () => {
    let calls = 0
    const asked: number[] = []
    const result = await withRetry(
      async () => {
        calls++
        throw retryable()
      },
      policy,
      {
        sleep: async () => {},
        beforeRetry: async (attempt) => {
          asked.push(attempt)
          return attempt === 3 ? 'found' : undefined
        },
      },
    )
    assert.deepEqual(result, { value: 'found', attempts: 3 })
    assert.deepEqual([calls, asked], [2, [2, 3]], 'asked before each retry; no third try')
  })

  it('throws RetryInterrupted when the signal aborts before or during the wait, and fails for good otherwise', async () => {
    const controller = new AbortController()
    let calls = 0
    await assert.rejects(
      withRetry(
        async () => {
          calls++
          throw retryable()
        },
        policy,
        {
          signal: controller.signal,
          // Aborted while waiting: the real sleep rejects with the signal's reason.
          sleep: async (_ms, signal) => {
            controller.abort()
            throw signal!.reason
          },
        },
      ),
      (e: unknown) => e instanceof RetryInterrupted && e.attempts === 1 && e.failure.code === 'CON_X',
    )
    assert.equal(calls, 1)
    const fatal = new ProvisioError('CON_Y', 'taken', { audience: 'user', retry: 'never' })
    await assert.rejects(
      withRetry(
        async () => {
          throw fatal
        },
        policy,
        { signal: AbortSignal.abort() },
      ),
      (e: unknown) => e === fatal,
      'a failure that is not retryable is not an interruption',
    )
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

  it('hands a freed slot to the next waiter: a newcomer at that moment waits its turn', async () => {
    const limiter = new Limiter(1)
    let active = 0
    let most = 0
    const order: string[] = []
    const track = (name: string) => async () => {
      most = Math.max(most, ++active)
      order.push(name)
      await new Promise((r) => setImmediate(r))
      active--
    }
    let release!: () => void
    const gate = new Promise<void>((r) => (release = r))
    let first!: Promise<void>
    const a = limiter.run(() => {
      first = (async () => {
        most = Math.max(most, ++active)
        order.push('a')
        await gate
        active--
      })()
      return first
    })
    const b = limiter.run(track('b'))
    // Runs right after the limiter's own continuation of `first`, when a's slot is being freed.
    let c!: Promise<void>
    const newcomer = first.then(() => {
      c = limiter.run(track('c'))
    })
    release()
    await newcomer
    await Promise.all([a, b, c])
    assert.equal(most, 1, 'never two at once')
    assert.deepEqual(order, ['a', 'b', 'c'], 'in the order of the calls')
  })
})
