import { hostTaskQueue } from '../../lab/queues';
test('host task queue name', () => {
  expect(hostTaskQueue('h1')).toBe('host:h1');
});
