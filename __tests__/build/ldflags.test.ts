import { describe, expect, test } from '@jest/globals'
import {
  DEFAULT_LDFLAGS,
  renderTemplate,
  TEMPLATE_FIELDS,
  validateTemplate
} from '../../src/build/ldflags.js'

const values = Object.fromEntries(TEMPLATE_FIELDS.map(f => [f, `<${f}>`])) as Parameters<
  typeof renderTemplate
>[1]

describe('ldflags templates', () => {
  test('the default injects version, commit and date like GoReleaser', () => {
    expect(renderTemplate(DEFAULT_LDFLAGS, values)).toBe(
      '-s -w -X main.version=<Version> -X main.commit=<Commit> -X main.date=<Date>'
    )
  })

  test('every documented field renders, with or without spaces inside the braces', () => {
    const template = TEMPLATE_FIELDS.map(f => `{{ .${f} }}`).join(' ')
    expect(renderTemplate(template, values)).toBe(TEMPLATE_FIELDS.map(f => `<${f}>`).join(' '))
    expect(() => validateTemplate(template)).not.toThrow()
  })

  test('an unknown field or a stray {{ is an error naming ldflags', () => {
    expect(() => validateTemplate('-X main.v={{.Versoin}}')).toThrow(
      /^ldflags: unknown template field \{\{\.Versoin\}\}/
    )
    expect(() => validateTemplate('-X main.v={{Version}}')).toThrow(/^ldflags: has a \{\{ … \}\}/)
  })
})
