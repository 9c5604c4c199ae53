/**
 * The service version the API reports. Kept here rather than read from package.json, whose
 * whole text a bundler would otherwise carry into the cold-start-sensitive API Lambda;
 * test/api/version.test.ts holds the two equal.
 */
export const SERVICE_VERSION = '0.1.0';
