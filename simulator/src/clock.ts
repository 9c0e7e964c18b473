/**
 * The simulator's notion of "now". Chatwoot's 24-hour window, `waiting_since` and every timestamp in a
 * payload read it, so a test can jump a day ahead without waiting. Running clocks follow the wall clock
 * plus whatever was advanced; frozen clocks move only when told to.
 */
export interface SimulatorClock {
  now(): Date;
  nowMs(): number;
  /** Move the clock forward (negative values are refused: Chatwoot's time never runs backwards). */
  advance(ms: number): void;
  /** Jump to an absolute instant (tests use it to start at a known date). */
  set(instant: Date | number): void;
  readonly frozen: boolean;
}

export interface ClockOptions {
  /** Start here and stay until advanced. Omit for a clock that follows real time. */
  frozenAt?: Date | number;
}

export function createClock(options: ClockOptions = {}): SimulatorClock {
  const frozen = options.frozenAt !== undefined;
  let base = frozen ? toMs(options.frozenAt as Date | number) : 0;
  let offset = 0;
  const nowMs = (): number => (frozen ? base : Date.now() + offset);
  return {
    frozen,
    nowMs,
    now: () => new Date(nowMs()),
    advance(ms: number) {
      if (!Number.isFinite(ms) || ms < 0)
        throw new RangeError(`clock.advance needs a positive number, got ${ms}`);
      if (frozen) base += ms;
      else offset += ms;
    },
    set(instant: Date | number) {
      const target = toMs(instant);
      if (frozen) base = target;
      else offset = target - Date.now();
    },
  };
}

function toMs(instant: Date | number): number {
  return typeof instant === 'number' ? instant : instant.getTime();
}

/** Rails JSON time: ISO-8601 with milliseconds and `Z`. */
export function isoTime(ms: number): string {
  return new Date(ms).toISOString();
}

/** `time.to_i`: whole epoch seconds, 0 for nil as Chatwoot's presenters do. */
export function epochSeconds(ms: number | null | undefined): number {
  return ms == null ? 0 : Math.floor(ms / 1000);
}

/** `time.to_f`: epoch seconds with the milliseconds kept (Chatwoot's `updated_at` in conversation payloads). */
export function epochFloat(ms: number): number {
  return Math.round(ms) / 1000;
}
