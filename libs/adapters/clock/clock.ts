/** The time port: services and activities ask it for "now", so a test can choose the instant. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
