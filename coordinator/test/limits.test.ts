import { describe, expect, it } from 'vitest';
import { ConnectionCap } from '../src/limits/connectionCap.ts';
import { MessageRateLimiter } from '../src/limits/messageRateLimiter.ts';
import { KeyedRateLimiter, TokenBucket } from '../src/limits/tokenBucket.ts';

describe('TokenBucket', () => {
  it('allows a burst, then the sustained rate', () => {
    const b = new TokenBucket({ burst: 3, perSecond: 2 }, 0);
    expect([b.take(0), b.take(0), b.take(0), b.take(0)]).toEqual([true, true, true, false]);
    expect(b.waitMs(0)).toBe(500);
    expect(b.take(499)).toBe(false);
    expect(b.take(500)).toBe(true);
    expect(b.take(10_000) && b.take(10_000) && b.take(10_000)).toBe(true);
    expect(b.take(10_000)).toBe(false);
  });

  it('never refills beyond the burst and ignores clocks going backwards', () => {
    const b = new TokenBucket({ burst: 2, perSecond: 1 }, 1000);
    expect(b.isFull(1_000_000)).toBe(true);
    expect(b.take(1_000_000) && b.take(1_000_000)).toBe(true);
    expect(b.take(500)).toBe(false);
  });

  it('refuses nonsense rates', () => {
    expect(() => new TokenBucket({ burst: 0, perSecond: 1 }, 0)).toThrow(RangeError);
    expect(() => new TokenBucket({ burst: 1, perSecond: 0 }, 0)).toThrow(RangeError);
  });
});

describe('KeyedRateLimiter', () => {
  it('keeps keys apart and bounds its memory', () => {
    const limiter = new KeyedRateLimiter({ burst: 1, perSecond: 1 }, 4);
    expect(limiter.take('a', 0)).toBe(true);
    expect(limiter.take('a', 0)).toBe(false);
    expect(limiter.take('b', 0)).toBe(true);
    for (let i = 0; i < 100; i++) limiter.take(`k${i}`, 0);
    expect(limiter.size).toBeLessThanOrEqual(4);
  });
});

describe('MessageRateLimiter', () => {
  it('drops over-budget messages, then asks to disconnect a connection that keeps flooding', () => {
    const limiter = new MessageRateLimiter({ burst: 2, perSecond: 1 }, 3);
    const verdicts = Array.from({ length: 7 }, () => limiter.check('c1', 0));
    expect(verdicts).toEqual(['allow', 'allow', 'drop', 'drop', 'drop', 'disconnect', 'disconnect']);
    expect(limiter.check('c2', 0)).toBe('allow');
    expect(limiter.check('c1', 1000)).toBe('allow');
    expect(limiter.check('c1', 1000)).toBe('drop');
  });

  it('forgets a closed connection', () => {
    const limiter = new MessageRateLimiter({ burst: 1, perSecond: 0.001 });
    limiter.check('c', 0);
    expect(limiter.check('c', 0)).toBe('drop');
    limiter.forget('c');
    expect(limiter.check('c', 0)).toBe('allow');
  });
});

describe('ConnectionCap', () => {
  it('caps connections per address and frees a slot on release', () => {
    const cap = new ConnectionCap(2);
    expect([cap.tryAcquire('1.2.3.4'), cap.tryAcquire('1.2.3.4'), cap.tryAcquire('1.2.3.4')]).toEqual([true, true, false]);
    expect(cap.tryAcquire('5.6.7.8')).toBe(true);
    cap.release('1.2.3.4');
    expect(cap.count('1.2.3.4')).toBe(1);
    expect(cap.tryAcquire('1.2.3.4')).toBe(true);
    cap.release('9.9.9.9');
    expect(cap.count('9.9.9.9')).toBe(0);
  });
});
