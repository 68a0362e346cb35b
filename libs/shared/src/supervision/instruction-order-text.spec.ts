import { instructionOrderText } from './orders';

describe("the order a leader's instruction raises, as the unit reads it", () => {
  it('names the leader and where to read the instruction, not its words (their reading is traced)', () => {
    expect(instructionOrderText(' 王副市长 ')).toBe(
      '王副市长对本件作出领导批示，请在“领导批示”中查阅批示原文（查阅留痕），按批示要求限期办理并反馈。',
    );
  });
});
