import { describe, expect, test } from '@jest/globals'
import { projectName } from '../../src/build/main-packages.js'

describe('projectName', () => {
  test.each([
    ['example.com/hello', 'hello'],
    ['github.com/FiloSottile/age', 'age'],
    ['example.com/tool/v2', 'tool'],
    ['hello', 'hello']
  ])('%s → %s', (modulePath, name) => expect(projectName(modulePath)).toBe(name))
})
