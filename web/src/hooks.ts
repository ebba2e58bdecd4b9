/** Data loading for pages: one GET, its state, and a reload; and a value debounced while typing. */
import { useCallback, useEffect, useRef, useState } from 'react'
import { ApiError, api } from './api.ts'

export interface Loaded<T> {
  readonly data: T | undefined
  readonly error: ApiError | undefined
  readonly loading: boolean
  reload(): void
}

function asApiError(error: unknown): ApiError {
  return error instanceof ApiError
    ? error
    : new ApiError(0, 'CLIENT', error instanceof Error ? error.message : String(error))
}

/** GETs `url` (again whenever it changes; nothing while it is null) and keeps the last answer while reloading. */
export function useApi<T>(
  url: string | null,
  query?: Record<string, string | number | boolean | undefined | null>,
): Loaded<T> {
  const [data, setData] = useState<T | undefined>(undefined)
  const [error, setError] = useState<ApiError | undefined>(undefined)
  const [loading, setLoading] = useState(url !== null)
  const [tick, setTick] = useState(0)
  const key = url === null ? null : `${url}|${JSON.stringify(query ?? {})}`
  useEffect(() => {
    if (url === null) return
    let live = true
    setLoading(true)
    api.get<T>(url, query).then(
      (answer) => {
        if (!live) return
        setData(answer)
        setError(undefined)
        setLoading(false)
      },
      (thrown: unknown) => {
        if (!live) return
        setError(asApiError(thrown))
        setLoading(false)
      },
    )
    return () => {
      live = false
    }
  }, [key, tick]) // `key` stands for url and query
  const reload = useCallback(() => setTick((t) => t + 1), [])
  return { data, error, loading, reload }
}

/** Runs an action (a POST…), with its pending state and error; the answer is returned. */
export function useAction<A extends unknown[], T>(action: (...args: A) => Promise<T>) {
  const [pending, setPending] = useState(false)
  const [error, setError] = useState<ApiError | undefined>(undefined)
  const run = useCallback(
    async (...args: A): Promise<T | undefined> => {
      setPending(true)
      setError(undefined)
      try {
        return await action(...args)
      } catch (thrown) {
        setError(asApiError(thrown))
        return undefined
      } finally {
        setPending(false)
      }
    },
    [action],
  )
  return { run, pending, error, clearError: () => setError(undefined) }
}

/** `value`, once it has not changed for `ms`. */
export function useDebounced<T>(value: T, ms = 400): T {
  const [settled, setSettled] = useState(value)
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms)
    return () => clearTimeout(timer)
  }, [value, ms])
  return settled
}

/** Calls `callback` every `ms` while mounted (e.g. to refresh a list of running runs). */
export function useInterval(callback: () => void, ms: number | null): void {
  const saved = useRef(callback)
  saved.current = callback
  useEffect(() => {
    if (ms === null) return
    const timer = setInterval(() => saved.current(), ms)
    return () => clearInterval(timer)
  }, [ms])
}

/** Server-sent events of `url` (null: none), each `{ event, data }` handed to `onEvent`. */
export function useEventStream(url: string | null, onEvent: (event: string, data: unknown) => void): void {
  const saved = useRef(onEvent)
  saved.current = onEvent
  useEffect(() => {
    if (url === null) return
    const source = new EventSource(url, { withCredentials: true })
    const names = ['stage.started', 'progress', 'stage.finished', 'finished']
    const listeners = names.map((name) => {
      const listener = (message: MessageEvent<string>) => {
        saved.current(name, JSON.parse(message.data))
        if (name === 'finished') source.close()
      }
      source.addEventListener(name, listener)
      return listener
    })
    return () => {
      names.forEach((name, i) => source.removeEventListener(name, listeners[i]!))
      source.close()
    }
  }, [url])
}
