/** A WWW-Authenticate challenge: Bearer realm="…",service="…",scope="…" or Basic realm="…". */
export interface Challenge {
  scheme: 'bearer' | 'basic'
  params: Record<string, string>
}

export function parseChallenge(header: string | null): Challenge | undefined {
  if (!header) return undefined
  const m = /^\s*(\w+)\s*(.*)$/.exec(header)
  const scheme = m?.[1]?.toLowerCase()
  if (scheme !== 'bearer' && scheme !== 'basic') return undefined
  const params: Record<string, string> = {}
  for (const p of (m?.[2] ?? '').matchAll(/(\w+)=(?:"([^"]*)"|([^,\s]*))/g)) {
    params[(p[1] as string).toLowerCase()] = p[2] ?? p[3] ?? ''
  }
  return { scheme, params }
}
