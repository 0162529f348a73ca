import { promises as fs } from 'node:fs';
import { join } from 'node:path';

/** Switches for rejections, delays and outages; also read from `<root>/simulator.json` when that file changes. */
export interface TurnkeySimulatorSettings {
  /** Process nothing: files stay in SRC. */
  outage: boolean;
  /** A file is processed only once its modification time is at least this old. */
  delayMs: number;
  /** Fraction (0..1) of otherwise-valid messages rejected with S099, drawn from a seeded PRNG. */
  rejectRate: number;
  /** Reject the next N otherwise-valid messages with S099 (counts down). */
  rejectNext: number;
  /** How long a message stays at G (sent) before the platform confirms it (C). */
  confirmDelayMs: number;
  /** Keep every sent message at G: the platform never answers until this is switched off. */
  holdAtSent: boolean;
  /** The next N otherwise-valid messages reach G, then the platform answers E (S098) (counts down). */
  rejectNextAfterSent: number;
}

export const DEFAULT_SIMULATOR_SETTINGS: Readonly<TurnkeySimulatorSettings> = {
  outage: false,
  delayMs: 0,
  rejectRate: 0,
  rejectNext: 0,
  confirmDelayMs: 0,
  holdAtSent: false,
  rejectNextAfterSent: 0,
};

const SETTING_NAMES = Object.keys(DEFAULT_SIMULATOR_SETTINGS).join(', ');

export const SIMULATOR_SETTINGS_FILE = 'simulator.json';

/** The settings a `simulator.json` text names; throws, saying why, when it is not valid JSON or names a bad setting. */
export function parseSimulatorSettings(json: string): Partial<TurnkeySimulatorSettings> {
  const raw: unknown = JSON.parse(json);
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new Error('must be a JSON object');
  const input = raw as Record<string, unknown>;
  const out: Partial<TurnkeySimulatorSettings> = {};
  for (const key of Object.keys(input)) {
    const value = input[key];
    switch (key) {
      case 'outage':
      case 'holdAtSent':
        if (typeof value !== 'boolean') throw new Error(`${key} must be true or false`);
        out[key] = value;
        break;
      case 'delayMs':
      case 'rejectNext':
      case 'confirmDelayMs':
      case 'rejectNextAfterSent':
        if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) throw new Error(`${key} must be a non-negative integer`);
        out[key] = value;
        break;
      case 'rejectRate':
        if (typeof value !== 'number' || !(value >= 0 && value <= 1)) throw new Error('rejectRate must be a number from 0 to 1');
        out.rejectRate = value;
        break;
      default:
        throw new Error(`unknown setting '${key}' (known: ${SETTING_NAMES})`);
    }
  }
  return out;
}

/**
 * `<root>/simulator.json`, reported only when its content changed, so a countdown like rejectNext is not reset each
 * cycle. A removed file forgets the last content: writing the same settings again applies them again.
 */
export class SimulatorSettingsFile {
  readonly path: string;
  private lastContent: string | undefined;

  constructor(rootDir: string) {
    this.path = join(rootDir, SIMULATOR_SETTINGS_FILE);
  }

  /** The file's text when it changed since the last call; undefined when unchanged or absent. */
  async readIfChanged(): Promise<string | undefined> {
    let content: string;
    try {
      content = await fs.readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      this.lastContent = undefined;
      return undefined;
    }
    if (content === this.lastContent) return undefined;
    this.lastContent = content;
    return content;
  }
}
