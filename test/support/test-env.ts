/** What global setup hands to the test files, through environment variables (the only channel jest offers). */
export const TEST_ENV = {
  adminDatabaseUrl: 'EINV_TEST_ADMIN_DATABASE_URL',
  templateDatabase: 'EINV_TEST_TEMPLATE_DATABASE',
  temporalAddress: 'EINV_TEST_TEMPORAL_ADDRESS',
} as const;

export function testEnv(name: keyof typeof TEST_ENV): string {
  const value = process.env[TEST_ENV[name]];
  if (!value) throw new Error(`${TEST_ENV[name]} is not set: run the tests through jest (global setup)`);
  return value;
}
