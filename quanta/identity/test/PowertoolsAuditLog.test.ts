import { describe, expect, it, vi } from 'vitest';
import { PowertoolsAuditLog } from '../adapters/PowertoolsAuditLog';

describe('PowertoolsAuditLog', () => {
  it('writes one structured line with the stable audit marker and counts the event’s metric', () => {
    // Arrange
    const logger = { info: vi.fn() };
    const metrics = { addMetric: vi.fn() };
    const audit = new PowertoolsAuditLog(logger, metrics);

    // Act
    audit.record({
      event: 'identity.login.failed',
      correlationId: 'corr-1',
      account: '0123456789abcdef',
      sourceIp: '203.0.113.7',
      reason: 'login',
    });
    audit.record({ event: 'identity.login.locked', correlationId: 'corr-1', retryAfterSeconds: 60 });

    // Assert
    expect(logger.info).toHaveBeenNthCalledWith(1, 'audit', {
      audit: 'identity.login.failed',
      correlationId: 'corr-1',
      account: '0123456789abcdef',
      sourceIp: '203.0.113.7',
      reason: 'login',
    });
    expect(metrics.addMetric.mock.calls).toEqual([
      ['LoginFailures', 'Count', 1],
      ['AccountLocks', 'Count', 1],
    ]);
  });

  it('logs without metrics where there is no Lambda to flush them (the operator command)', () => {
    // Arrange
    const logger = { info: vi.fn() };
    const audit = new PowertoolsAuditLog(logger);

    // Act
    audit.record({ event: 'identity.roles.changed', correlationId: 'cli', changedBy: 'operator:ops' });

    // Assert
    expect(logger.info).toHaveBeenCalledWith('audit', {
      audit: 'identity.roles.changed',
      correlationId: 'cli',
      changedBy: 'operator:ops',
    });
  });
});
