// Captures what the action's code writes to stdout (workflow commands such as ::add-mask::) in a
// unit test, passing everything else through: jest may share this process's stdout.
import { jest } from '@jest/globals'

/** Until jest.restoreAllMocks(), writes that `take` accepts go to `sink` instead of stdout. */
export function captureStdout(
  take: (text: string) => boolean,
  sink: string[],
  keep: (text: string) => string = text => text
): void {
  const original = process.stdout.write.bind(process.stdout) as (...args: unknown[]) => boolean
  jest.spyOn(process.stdout, 'write').mockImplementation(((chunk: unknown, ...rest: unknown[]) => {
    const text = String(chunk)
    if (!take(text)) return original(chunk, ...rest)
    sink.push(keep(text))
    const callback = rest.find(arg => typeof arg === 'function') as (() => void) | undefined
    callback?.()
    return true
  }) as typeof process.stdout.write)
}
