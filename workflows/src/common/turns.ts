import { condition } from '@temporalio/workflow';

/**
 * One action at a time in a workflow: its update handlers and timers take turns, so none decides on
 * a state another is about to change.
 *
 * The turn is taken in the same step as the check. The SDK wakes every waiter whose condition holds
 * in one pass, so two waiters could both see the turn free; each checks again as it runs, and the
 * second waits for the first.
 */
export class Turns {
  private held = false;

  /** @param onRelease runs as each turn ends, in the same step (before any waiter runs). */
  constructor(private readonly onRelease: () => void = () => undefined) {}

  /** Whether an action holds the turn: its transition is under way. */
  get busy(): boolean {
    return this.held;
  }

  /** Runs `fn` once no other action holds the turn, and holds it meanwhile. */
  async take<T>(fn: () => Promise<T>): Promise<T> {
    while (this.held) await condition(() => !this.held);
    this.held = true;
    try {
      return await fn();
    } finally {
      this.held = false;
      this.onRelease();
    }
  }
}
