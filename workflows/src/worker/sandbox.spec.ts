import vm from 'node:vm';
import { sandboxPrelude, withSandboxPrelude } from './sandbox';

describe('the workflow sandbox prelude', () => {
  it('empties every stack trace the sandbox captures, unless stack traces are asked for', () => {
    const run = (stackTraces: boolean) =>
      vm.runInContext(
        withSandboxPrelude('function f() { return new Error("x").stack; } f();', { stackTraces }),
        vm.createContext({}),
      ) as string;
    expect(run(false)).toBe('Error: x');
    expect(run(true)).toMatch(/\n\s+at f /);
  });

  it("stays on the bundle's first line, so the source map of every other line holds", () => {
    expect(sandboxPrelude({ stackTraces: false })).not.toMatch(/\n/);
    expect(sandboxPrelude({ stackTraces: true })).toBe('');
    const bundle = 'var __TEMPORAL__;\nline two\n//# sourceMappingURL=data:application/json;base64,e30=';
    expect(withSandboxPrelude(bundle, { stackTraces: false }).split('\n').slice(1)).toEqual(
      bundle.split('\n').slice(1),
    );
  });
});
