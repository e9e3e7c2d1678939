/** A pattern Java refuses: `message` is PatternSyntaxException.getMessage(), `description` its first part. */
export class JavaPatternSyntaxError extends SyntaxError {
  readonly description: string
  readonly index: number
  constructor (description: string, pattern: string, index: number) {
    let text = description + (index >= 0 ? ` near index ${index}` : '') + '\n' + pattern
    if (index >= 0 && index < pattern.length) text += '\n' + ' '.repeat(index) + '^'
    super(text)
    this.name = 'PatternSyntaxException'
    this.description = description
    this.index = index
  }
}

/** A pattern Java accepts but that has no exact JavaScript translation. */
export class UnsupportedJavaRegexError extends SyntaxError {
  constructor (construct: string) {
    super(`${construct} is not supported (Java accepts it, but it cannot be matched exactly here)`)
    this.name = 'UnsupportedJavaRegexError'
  }
}
