import { instructionOrderText } from './orders';

describe("the order a leader's instruction raises, as the unit reads it", () => {
  it('ends the instruction with one full stop, whatever it ended with', () => {
    const order = (content: string) => instructionOrderText('王副市长', content);
    const want = '领导批示（王副市长）：请交通局务必于本周内修复道路塌陷。请按批示要求限期办理并反馈。';
    expect(order('请交通局务必于本周内修复道路塌陷。')).toBe(want);
    expect(order('请交通局务必于本周内修复道路塌陷')).toBe(want);
    expect(order('  请交通局务必于本周内修复道路塌陷。 ')).toBe(want);
    expect(order('请交通局务必于本周内修复道路塌陷，')).toBe(want);
    expect(order('务必本周修复！')).toBe('领导批示（王副市长）：务必本周修复！请按批示要求限期办理并反馈。');
    expect(order('为何迟迟未修？')).toBe('领导批示（王副市长）：为何迟迟未修？请按批示要求限期办理并反馈。');
  });
});
