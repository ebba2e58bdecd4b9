/**
 * A secret the server answers once (a generated one-time password, a new API token): shown with a
 * copy button and a warning that it cannot be shown again, until the admin closes it.
 */
import { useState } from 'react'

export function SecretOnce({
  label,
  value,
  warning,
  onClose,
}: {
  label: string
  value: string
  warning: string
  onClose: () => void
}) {
  const [copied, setCopied] = useState<boolean | undefined>(undefined)
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value)
      setCopied(true)
    } catch {
      // The clipboard needs permission (and a secure context): the value stays selectable to copy by hand.
      setCopied(false)
    }
  }
  return (
    <div className="notice warning secret-once" role="status" aria-label={label}>
      <div>
        <strong>{label}</strong>
      </div>
      <div className="secret-row">
        <code className="secret" aria-label={`${label} value`}>
          {value}
        </code>
        <button type="button" onClick={() => void copy()}>
          {copied === true ? 'Copied' : 'Copy'}
        </button>
      </div>
      {copied === false && <div className="small">The browser refused the clipboard: select the text and copy it.</div>}
      <div className="hint">⚠ {warning}</div>
      <button type="button" className="link" onClick={onClose}>
        I have kept it — close
      </button>
    </div>
  )
}
