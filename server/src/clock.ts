/**
 * The one place the application reads the time. Services receive a Clock; production passes systemClock.
 * Tests pass a clock of their own so they can move time (the 24-hour edit window).
 */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
