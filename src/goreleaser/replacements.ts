/**
 * GoReleaser v1's `replacements` (archives, nfpms) mapped the values of .Os, .Arch and .Arm in a
 * name; GoReleaser v2 removed it. This writes the name template that gives the same names: each
 * `{{ .Os }}` (and .Arch, .Arm) that a replacement applies to becomes
 * `{{ if eq .Os "darwin" }}macOS{{ else if … }}…{{ else }}{{ .Os }}{{ end }}`.
 */
import { VALID_GOARCH, VALID_GOOS } from './targets.js'

type Field = 'Os' | 'Arch' | 'Arm'

const DOMAINS: Readonly<Record<Field, readonly string[]>> = {
  Os: VALID_GOOS,
  Arch: VALID_GOARCH,
  Arm: ['5', '6', '7']
}

const SIMPLE = /\{\{(-?)\s*\.(Os|Arch|Arm)\s*(-?)\}\}/g

/**
 * The template without replacements. `replaced` is false when a field a replacement applies to
 * is used other than as a plain `{{ .Os }}` (`{{ with .Arm }}`, `{{ title .Os }}`), or when no
 * replacement applies: then no template is suggested.
 */
export function replacementTemplate(
  nameTemplate: string,
  replacements: ReadonlyArray<readonly [string, string]>
): { template: string; replaced: boolean } {
  const applicable = (field: Field) =>
    replacements.filter(([from]) => DOMAINS[field].includes(from))
  for (const field of ['Os', 'Arch', 'Arm'] as const) {
    if (applicable(field).length === 0) continue
    const all = nameTemplate.match(new RegExp(`\\.${field}\\b`, 'g'))?.length ?? 0
    const simple = [...nameTemplate.matchAll(SIMPLE)].filter(m => m[2] === field).length
    if (all > simple) return { template: nameTemplate, replaced: false }
  }
  let replaced = false
  const template = nameTemplate.replace(
    SIMPLE,
    (whole, left: string, field: Field, right: string) => {
      const pairs = applicable(field)
      if (pairs.length === 0) return whole
      replaced = true
      const branches = pairs
        .map(([from, to], i) => {
          const open = i === 0 ? `{{${left} if` : '{{ else if'
          return `${open} eq .${field} ${JSON.stringify(from)} }}${escapeText(to)}`
        })
        .join('')
      return `${branches}{{ else }}{{ .${field} }}{{ end${right ? ' -}}' : ' }}'}`
    }
  )
  return { template, replaced }
}

/** Text placed in a template: a literal "{{" would start an action, so it is written as one. */
function escapeText(s: string): string {
  return s.includes('{{') ? `{{ ${JSON.stringify(s)} }}` : s
}
