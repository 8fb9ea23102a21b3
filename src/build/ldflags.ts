import { InputError } from '../errors.js'

export const DEFAULT_LDFLAGS =
  '-s -w -X main.version={{.Version}} -X main.commit={{.Commit}} -X main.date={{.Date}}'

/** The fields an ldflags template may use; README documents each. */
export const TEMPLATE_FIELDS = [
  'Version',
  'Tag',
  'Commit',
  'ShortCommit',
  'Date',
  'Timestamp',
  'ProjectName',
  'Binary',
  'Os',
  'Arch',
  'Variant'
] as const

export type TemplateValues = Record<(typeof TEMPLATE_FIELDS)[number], string>

const FIELD = /\{\{\s*\.(\w+)\s*\}\}/g

/** Checks a template's fields before anything runs, so a typo fails with the input's name. */
export function validateTemplate(template: string, input = 'ldflags'): void {
  for (const m of template.matchAll(FIELD)) {
    if (!(TEMPLATE_FIELDS as readonly string[]).includes(m[1] as string)) {
      throw new InputError(
        input,
        `unknown template field {{.${m[1]}}}; known fields: ${TEMPLATE_FIELDS.map(f => `.${f}`).join(', ')}`
      )
    }
  }
  const rest = template.replace(FIELD, '')
  if (rest.includes('{{'))
    throw new InputError(input, 'has a {{ … }} that is not a field such as {{.Version}}')
}

export function renderTemplate(template: string, values: TemplateValues): string {
  return template.replace(FIELD, (_, name: keyof TemplateValues) => values[name])
}
