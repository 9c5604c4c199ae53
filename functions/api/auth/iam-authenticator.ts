import { UnauthenticatedError } from '../../core/errors.js';
import { ALL_ROLES, type Authenticator } from './identity.js';

interface LambdaBindings {
  readonly event?: {
    readonly requestContext?: { readonly authorizer?: { readonly iam?: { readonly userArn?: string } } };
  };
}

/**
 * API Gateway (HTTP API, IAM authorization) has already checked the SigV4 signature and the
 * caller's execute-api:Invoke permission, which is where AWS scopes callers to routes and
 * methods; here we only read who it was. The identity is the caller's IAM ARN.
 */
export function iamAuthenticator(): Authenticator {
  return {
    authenticate(c) {
      const env = c.env as LambdaBindings | undefined;
      const arn = env?.event?.requestContext?.authorizer?.iam?.userArn;
      if (!arn) throw new UnauthenticatedError('no IAM identity on the request (is IAM authorization on?)');
      return { actor: arn, roles: ALL_ROLES };
    },
  };
}
