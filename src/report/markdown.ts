export function escapeCell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, '<br>')
}

/** As many rows as fit in `budget` characters, then one line saying how many were left out. */
export function limitedRows(rows: readonly string[], budget: number, what: string): string[] {
  const kept: string[] = []
  let size = 0
  for (const row of rows) {
    if (size + Buffer.byteLength(row) + 1 > budget - 200) break
    kept.push(row)
    size += Buffer.byteLength(row) + 1
  }
  if (kept.length < rows.length)
    kept.push(`| | | …and ${rows.length - kept.length} more ${what} (see the log) |`)
  return kept
}

/** 1.2 MiB, or 340.5 KiB below a MiB. */
export function size(bytes: number): string {
  return bytes >= 1048576
    ? `${(bytes / 1048576).toFixed(1)} MiB`
    : `${(bytes / 1024).toFixed(1)} KiB`
}
