// Templates checked before anything runs: each is parsed and rendered once over sample values, so
// a syntax error or an unknown field fails with the input's (or the key's) name, not mid-build.
import { parseLdflags } from '../build/ldflags.js'
import { InputError } from '../errors.js'
import { buildVersion, type BuildVersion } from '../plan/version.js'
import { parseTemplate, render, TemplateError } from '../template/index.js'
import { baseFields, type Fields, targetFields } from './template-data.js'
import { processEnv } from '../util/exec.js'

/** A version, commit and target like a real run's, to render templates over before one exists. */
export const SAMPLE_VERSION: BuildVersion = buildVersion(
  'refs/tags/v1.2.3',
  '0123456789abcdef0123456789abcdef01234567',
  1_700_000_000
)

export function sampleFields(env: Readonly<Record<string, string>> = {}): Fields {
  return {
    ...baseFields({ project: 'project', version: SAMPLE_VERSION, env }),
    ...targetFields({
      os: 'linux',
      arch: 'amd64',
      env: { GOOS: 'linux', GOARCH: 'amd64' },
      spec: 'linux/amd64',
      slug: 'linux_amd64'
    }),
    Binary: 'project'
  }
}

/** Renders a template over the sample; errors become InputErrors of `input`. */
export function checkTemplate(text: string, input: string, extra: Fields = {}): string {
  try {
    return render(parseTemplate(text), { ...sampleFields(processEnv()), ...extra })
  } catch (e) {
    if (e instanceof TemplateError) throw new InputError(input, e.message)
    throw e
  }
}

/** ldflags: a template whose rendering is linker flags go tool link accepts. */
export function checkLdflagsTemplate(ldflags: string): void {
  parseLdflags(checkTemplate(ldflags, 'ldflags'), 'ldflags')
}
