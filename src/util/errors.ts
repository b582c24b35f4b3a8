// Errors that map to exit codes. Anything a user can fix by changing the invocation is a UsageError (exit 2).
export class UsageError extends Error {
  readonly exitCode = 2;
}

/** Input that cannot be read: invalid kubeconfig, snapshot or manifest (exit 2). */
export class InputError extends Error {
  readonly exitCode = 2;
}
