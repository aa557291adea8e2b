import { describe, expect, it } from 'vitest';
import {
  cleanMessage,
  fromGraphqlMessage,
  fromHttpStatus,
  parseRetryAfter,
} from '../../src/runpod/errors.ts';

describe('RunPod answers become typed errors', () => {
  it.each([
    [
      'There are no longer any instances available with the requested specifications. Please refresh and try again.',
      'NO_CAPACITY',
    ],
    [
      'There are no instances available with the request specifications. Please try again later.',
      'NO_CAPACITY',
    ],
    ['Something went wrong. Please try again later.', 'RUNPOD_UNAVAILABLE'],
    ['Too Many Requests', 'RATE_LIMITED'],
    ['Pod not found', 'NOT_FOUND'],
    ['Unauthorized', 'AUTH_FAILED'],
    ['bidPerGpu must be at least 0.19', 'INVALID_REQUEST'],
  ])('%s → %s', (message, code) => {
    expect(fromGraphqlMessage(message).code).toBe(code);
  });

  it('keeps the cleaned RunPod sentence for invalid requests', () => {
    const e = fromGraphqlMessage('  Error:   volume size\n can only grow ');
    expect(e.userMessage).toBe('RunPod rejected the request: volume size can only grow');
  });

  it('suggests other GPU types or data centers when there is no capacity', () => {
    const e = fromGraphqlMessage(
      'There are no longer any instances available with the requested specifications.',
    );
    expect(e.toUserText()).toMatch(/another GPU type or data center/);
  });

  it.each([
    [401, 'AUTH_FAILED', false],
    [429, 'RATE_LIMITED', true],
    [502, 'RUNPOD_UNAVAILABLE', true],
    [503, 'RUNPOD_UNAVAILABLE', true],
    [400, 'INVALID_REQUEST', false],
  ])('HTTP %i → %s (retryable %s)', (status, code, retryable) => {
    const e = fromHttpStatus(status, '2');
    expect(e.code).toBe(code);
    expect(e.retryable).toBe(retryable);
  });

  it('reads Retry-After as seconds or as a date', () => {
    expect(parseRetryAfter('7')).toBe(7);
    expect(parseRetryAfter('Thu, 26 Nov 2026 20:00:10 GMT', Date.parse('2026-11-26T20:00:00Z'))).toBe(10);
    expect(parseRetryAfter('soon')).toBeUndefined();
    expect(parseRetryAfter(null)).toBeUndefined();
  });

  it('bounds long messages', () => {
    expect(cleanMessage('x'.repeat(1000)).length).toBe(300);
  });
});
