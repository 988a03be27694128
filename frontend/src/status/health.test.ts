import { describe, expect, it } from 'vitest';
import { systemStatus } from '../test/fixtures';
import { apiHealth, healthLabels } from './health';

describe('apiHealth', () => {
  it('is healthy only when status is ok and the database is reachable and current', () => {
    expect(apiHealth(systemStatus(), false)).toBe('healthy');
  });

  it.each([
    ['server says degraded', systemStatus({ status: 'degraded' })],
    ['database unreachable', systemStatus({}, { reachable: false })],
    ['migrations pending', systemStatus({}, { migrations_current: false, schema_version: 5 })],
  ])('is degraded when %s', (_, status) => {
    expect(apiHealth(status, false)).toBe('degraded');
  });

  it('is unreachable when the latest request failed, even with older data', () => {
    expect(apiHealth(systemStatus(), true)).toBe('unreachable');
    expect(apiHealth(undefined, true)).toBe('unreachable');
  });

  it('is still checking before the first answer', () => {
    expect(apiHealth(undefined, false)).toBe('checking');
  });

  it('labels read exactly as the status page promises', () => {
    expect(healthLabels.healthy).toBe('API healthy');
    expect(healthLabels.degraded).toBe('API degraded');
    expect(healthLabels.unreachable).toBe('API unreachable');
  });
});
