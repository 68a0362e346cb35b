/**
 * What the worker's workflow sandbox runs before the bundle's own code.
 *
 * For every promise that workflow code creates, @temporalio/worker 1.24 captures a stack trace and
 * maps each frame through the bundle's source map (a V8 promise hook, installed unconditionally;
 * temporalio/sdk-typescript#1587). Those traces feed the stack-trace query (the Temporal UI's
 * "Stack Trace" tab) and the stacks of the errors a workflow raises. A simple ticket makes about
 * 350 promises. The SDK has no option to stop the capture.
 *
 * With `TEMPORAL_WORKFLOW_STACK_TRACES=off` the prelude sets `Error.stackTraceLimit = 0` in the
 * sandbox: every capture is empty and the hook costs next to nothing. The bundle's top level runs
 * before the SDK freezes the sandbox's globals, so the setting holds for every workflow. Stack
 * traces never reach a workflow's decisions: replay is the same either way. The default keeps
 * them (an empty prelude).
 *
 * The prelude goes on the bundle's first line, so the source map of every other line holds.
 */
export function sandboxPrelude(opts: { stackTraces: boolean }): string {
  return opts.stackTraces ? '' : 'Error.stackTraceLimit = 0;';
}

/** The workflow bundle as the worker runs it: the prelude, then the bundle. */
export function withSandboxPrelude(code: string, opts: { stackTraces: boolean }): string {
  return sandboxPrelude(opts) + code;
}
