import { Fifo } from './fifo';

describe('Fifo', () => {
  it('gives items back in the order they came, across its compactions', () => {
    const q = new Fifo<number>();
    const out: number[] = [];
    for (let i = 0; i < 5000; i++) {
      q.push(i);
      if (i % 3 === 0) out.push(q.shift()!);
    }
    expect(q.length).toBe(5000 - out.length);
    while (q.length > 0) out.push(q.shift()!);
    expect(out).toEqual(Array.from({ length: 5000 }, (_, i) => i));
    expect(q.shift()).toBeUndefined();
    expect(q.peek()).toBeUndefined();
  });

  it('peeks at the oldest without taking it', () => {
    const q = new Fifo<string>();
    q.push('a');
    q.push('b');
    expect(q.peek()).toBe('a');
    expect(q.length).toBe(2);
    expect(q.shift()).toBe('a');
    expect(q.peek()).toBe('b');
  });

  it('takes 100,000 items in linear time (a shift on an array would move each of them each time)', () => {
    const q = new Fifo<number>();
    for (let i = 0; i < 100_000; i++) q.push(i);
    let sum = 0;
    while (q.length > 0) sum += q.shift()!;
    expect(sum).toBe((100_000 * 99_999) / 2);
  });
});
