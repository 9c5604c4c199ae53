import { describe, expect, it } from 'vitest';
import { apiGatewayRegion, DEFAULT_URL, resolveConfig } from '../../functions/cli/config.js';

describe('resolveConfig', () => {
  it.each([
    [{}, {}, { url: DEFAULT_URL, aws: false }],
    [
      {},
      { SPLITVAULT_URL: 'http://h:1/', SPLITVAULT_TOKEN: 't' },
      { url: 'http://h:1', token: 't', aws: false },
    ],
    [
      { url: 'http://flag', token: 'f' },
      { SPLITVAULT_URL: 'http://env', SPLITVAULT_TOKEN: 'e' },
      { url: 'http://flag', token: 'f' },
    ],
    [
      { url: 'https://abc123.execute-api.eu-west-1.amazonaws.com/prod' },
      {},
      { aws: true, region: 'eu-west-1' },
    ],
    [
      { url: 'https://api.example.com', aws: true },
      { AWS_REGION: 'us-east-2' },
      { aws: true, region: 'us-east-2' },
    ],
    [{ region: 'ap-south-1', aws: true }, { AWS_REGION: 'us-east-2' }, { region: 'ap-south-1' }],
  ])('resolves flags %o and env %o to %o', (flags, env, expected) => {
    expect(resolveConfig(flags, env)).toMatchObject(expected);
  });

  it.each(['not a url', 'ftp://host/x'])('refuses the service URL "%s" with exit code 2', (url) => {
    expect(() => resolveConfig({ url }, {})).toThrow(url);
  });
});

describe('apiGatewayRegion', () => {
  it.each([
    ['https://abc123.execute-api.us-east-1.amazonaws.com/prod', 'us-east-1'],
    ['https://x9.execute-api.eu-central-2.amazonaws.com', 'eu-central-2'],
    ['https://execute-api.example.com', undefined],
    ['http://localhost:3000', undefined],
  ])('finds the region of %s: %s', (url, region) => {
    expect(apiGatewayRegion(new URL(url))).toBe(region);
  });
});
