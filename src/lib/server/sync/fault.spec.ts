// The test-only fault hook (fault.ts) is inert unless the process was started with KRAAM_FAULT.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { afterPushCommitted, killAfterCommitAt } from './fault';

afterEach(() => vi.restoreAllMocks());

describe('KRAAM_FAULT (test-only fault injection)', () => {
  it('does nothing without KRAAM_FAULT: the push endpoint never kills the process', () => {
    const kill = vi.spyOn(process, 'kill').mockImplementation(() => true);
    expect(killAfterCommitAt({})).toBeNull();
    expect(killAfterCommitAt({ KRAAM_FAULT: '' })).toBeNull();
    for (let i = 0; i < 5; i++) afterPushCommitted({});
    expect(kill).not.toHaveBeenCalled();
  });

  it('exit-after-commit[:n] names the push after whose commit the process dies; anything else is refused', () => {
    expect(killAfterCommitAt({ KRAAM_FAULT: 'exit-after-commit' })).toBe(1);
    expect(killAfterCommitAt({ KRAAM_FAULT: 'exit-after-commit:3' })).toBe(3);
    for (const bad of [
      'exit-after-commit:0',
      'exit-after-commit:-1',
      'exit',
      'EXIT-AFTER-COMMIT',
    ]) {
      expect(() => killAfterCommitAt({ KRAAM_FAULT: bad })).toThrow(/not a known fault/);
    }
  });

  it('with exit-after-commit:2 the second committed push sends SIGKILL to this process', () => {
    const kill = vi.spyOn(process, 'kill').mockImplementation(() => true);
    const env = { KRAAM_FAULT: 'exit-after-commit:2' };
    afterPushCommitted(env);
    expect(kill).not.toHaveBeenCalled();
    afterPushCommitted(env);
    expect(kill).toHaveBeenCalledWith(process.pid, 'SIGKILL');
  });
});
