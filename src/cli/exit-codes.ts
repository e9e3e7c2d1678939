/**
 * The one table of process exit codes, by the stage that failed (Apache's ConnectStandalone semantics).
 */
export const ExitCode = {
  OK: 0,
  /** No arguments, an unknown option, or --help. */
  USAGE: 1,
  /** --test: a pipeline test case failed (a test file that cannot be used is USAGE). */
  TEST_FAILURE: 1,
  /** Worker config invalid, plugins unloadable, Kafka unreachable: anything before the worker runs. */
  WORKER_STARTUP: 2,
  /** The worker could not start (offsets file unreadable), or a connector file failed (parse, validation, start). */
  CONNECT_START: 3,
  SIGINT: 130,
  SIGTERM: 143
} as const

export type ExitCodeValue = typeof ExitCode[keyof typeof ExitCode]
