import * as iam from 'aws-cdk-lib/aws-iam';
import { describe, expect, it } from 'vitest';
import { ROLE_ROUTES } from '../../lib/splitvault.js';
import { logicalId, synthStack } from './synth.js';

const routeKeys = (template: ReturnType<typeof synthStack>['template']) =>
  Object.fromEntries(
    Object.values(template.findResources('AWS::ApiGatewayV2::Route')).map((r) => [
      r.Properties.RouteKey,
      r.Properties.AuthorizationType,
    ]),
  );

describe('the console prop', () => {
  it('adds no function and no route when left at its default', () => {
    const { stack, template } = synthStack();
    expect(stack.vault.consoleFunction).toBeUndefined();
    expect(Object.keys(routeKeys(template)).filter((key) => key.includes('/ui'))).toEqual([]);
  });

  it('serves /ui from a function of its own, behind IAM like every API route', () => {
    const { stack, template } = synthStack({ props: { vault: { console: true } } });
    const fn = stack.vault.consoleFunction!;
    expect(fn).toBeDefined();
    expect(routeKeys(template)).toMatchObject({
      'GET /ui': 'AWS_IAM',
      'POST /ui': 'AWS_IAM',
      'GET /ui/{proxy+}': 'AWS_IAM',
      'POST /ui/{proxy+}': 'AWS_IAM',
    });
    const integrations = Object.values(template.findResources('AWS::ApiGatewayV2::Integration'));
    expect(integrations.map((i) => i.Properties.IntegrationUri['Fn::GetAtt'][0])).toContain(logicalId(fn));
    const env = template.toJSON().Resources[logicalId(fn)].Properties.Environment.Variables;
    expect(env).toMatchObject({ SPLITVAULT_BACKEND: 'aws', SPLITVAULT_API_ID: expect.anything() });
  });

  it("lets readers open the console's pages and only deployers post its rollback form", () => {
    const resources: Record<string, string> = {};
    const { template } = synthStack({
      props: { vault: { console: true } },
      amend: (stack) => {
        const reader = new iam.Role(stack, 'Reader', { assumedBy: new iam.AccountRootPrincipal() });
        const deployer = new iam.Role(stack, 'Deployer', { assumedBy: new iam.AccountRootPrincipal() });
        stack.vault.grantRead(reader);
        stack.vault.grantDeploy(deployer);
      },
    });
    for (const [id, policy] of Object.entries(template.findResources('AWS::IAM::Policy'))) {
      const role = /^(Reader|Deployer)/.exec(id)?.[1];
      if (role) resources[role] = JSON.stringify(policy.Properties.PolicyDocument.Statement);
    }
    expect(resources.Reader).toContain('/$default/GET/ui/*');
    expect(resources.Reader).not.toContain('POST/ui');
    expect(resources.Deployer).toContain('/$default/POST/ui/aliases/*/rollback');
    expect(ROLE_ROUTES.read).toEqual([{ method: 'GET', path: '/v1/*' }]);
  });
});
