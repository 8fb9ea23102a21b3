/**
 * An error the user can act on: its message names the input or the thing to fix.
 * run() reports it as it is; any other error is unexpected and keeps its stack in the debug log.
 */
export class ActionError extends Error {
  override readonly name = 'ActionError'
}

/** An input that does not parse or does not fit; the message always starts with the input's name. */
export class InputError extends ActionError {
  constructor(
    readonly input: string,
    detail: string
  ) {
    super(`${input}: ${detail}`)
  }
}
