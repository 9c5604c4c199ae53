/**
 * Stands in for @aws-sdk/credential-provider-node inside the Lambda bundles (lib/vault-functions.ts
 * aliases it here). Lambda hands every function its role's credentials in environment variables,
 * the first link of the SDK's default chain; the rest of the chain (INI files, SSO, IMDS, web
 * identity and the STS clients they need) is about 100 KB of bundle a function never uses.
 */
import { type FromEnvInit, fromEnv } from '@aws-sdk/credential-provider-env';

/** The one export the SDK clients' runtime config takes from the default chain's module. */
export const defaultProvider = (init?: FromEnvInit) => fromEnv(init);
