import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SIMULATOR_SETTINGS_FILE, SimulatorSettingsFile, parseSimulatorSettings } from './simulator-settings';
import { scratchFolder } from '../../libs/dev/turnkey-test-kit';

describe('parseSimulatorSettings', () => {
  it('reads the known switches', () => {
    expect(parseSimulatorSettings('{"outage": true, "delayMs": 50, "rejectRate": 0.25, "rejectNext": 2}')).toEqual({
      outage: true,
      delayMs: 50,
      rejectRate: 0.25,
      rejectNext: 2,
    });
    expect(parseSimulatorSettings('{}')).toEqual({});
  });

  it('says what is wrong with a bad file', () => {
    expect(() => parseSimulatorSettings('[]')).toThrow('must be a JSON object');
    expect(() => parseSimulatorSettings('{"outage": 1}')).toThrow('outage must be true or false');
    expect(() => parseSimulatorSettings('{"rejectNext": 1.5}')).toThrow('rejectNext must be a non-negative integer');
    expect(() => parseSimulatorSettings('{"rejectRate": 2}')).toThrow('rejectRate must be a number from 0 to 1');
    expect(() => parseSimulatorSettings('{"speed": 1}')).toThrow("unknown setting 'speed'");
    expect(() => parseSimulatorSettings('{')).toThrow(SyntaxError);
  });
});

describe('SimulatorSettingsFile', () => {
  it('reports the content only when it changed, and again after the file was removed and rewritten', async () => {
    const folder = scratchFolder();
    try {
      const file = new SimulatorSettingsFile(folder.path);
      const path = join(folder.path, SIMULATOR_SETTINGS_FILE);
      expect(file.path).toBe(path);
      expect(await file.readIfChanged()).toBeUndefined();
      writeFileSync(path, '{"rejectNext": 1}');
      expect(await file.readIfChanged()).toBe('{"rejectNext": 1}');
      expect(await file.readIfChanged()).toBeUndefined();
      rmSync(path);
      expect(await file.readIfChanged()).toBeUndefined();
      writeFileSync(path, '{"rejectNext": 1}');
      expect(await file.readIfChanged()).toBe('{"rejectNext": 1}');
    } finally {
      folder.remove();
    }
  });
});
