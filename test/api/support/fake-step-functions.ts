import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FAKE_REGION, readBody, signatureMatches } from './fake-lambda.js';

export interface FakeStart {
  readonly stateMachineArn: string;
  readonly name: string;
  readonly input: unknown;
}

export interface FakeStepFunctions {
  readonly endpoint: string;
  /** Every execution started, in order (a repeated name is not started twice). */
  readonly started: FakeStart[];
  /** Answers to give before the next ones, consumed one per request: a status and error type. */
  readonly failures: { status: number; type: string }[];
  /** Lose the answer of the next accepted call (the connection drops after the start). */
  dropNextAnswer: boolean;
  close(): Promise<void>;
}

/**
 * A stand-in for Step Functions' StartExecution (AWS JSON 1.0) on 127.0.0.1: it checks the
 * SigV4 signature, starts each name once like the service (the same name and input again
 * answers the same execution; other input, ExecutionAlreadyExists), and answers its ARN.
 */
export async function startFakeStepFunctions(): Promise<FakeStepFunctions> {
  const fake: FakeStepFunctions = {
    endpoint: '',
    started: [],
    failures: [],
    dropNextAnswer: false,
    close: async () => undefined,
  };
  const server = createServer(async (req, res) => {
    const body = await readBody(req);
    if (req.method !== 'POST' || req.headers['x-amz-target'] !== 'AWSStepFunctions.StartExecution') {
      res.writeHead(404).end();
      return;
    }
    if (!(await signatureMatches(req, body, 'states'))) {
      res
        .writeHead(400, { 'x-amzn-errortype': 'InvalidSignatureException' })
        .end('{"message":"bad signature"}');
      return;
    }
    const failure = fake.failures.shift();
    if (failure) {
      res.writeHead(failure.status).end(JSON.stringify({ __type: failure.type, message: 'later' }));
      return;
    }
    const request = JSON.parse(body) as { stateMachineArn: string; name: string; input: string };
    const executionArn = `${request.stateMachineArn.replace(':stateMachine:', ':execution:')}:${request.name}`;
    const earlier = fake.started.find((s) => s.name === request.name);
    if (earlier && JSON.stringify(earlier.input) !== request.input) {
      res
        .writeHead(400, { 'x-amzn-errortype': 'ExecutionAlreadyExists:http://internal.amazon.com/' })
        .end('{"message":"exists"}');
      return;
    }
    if (!earlier) fake.started.push({ ...request, input: JSON.parse(request.input) });
    if (fake.dropNextAnswer) {
      fake.dropNextAnswer = false;
      req.socket.destroy();
      return;
    }
    res
      .writeHead(200, { 'content-type': 'application/x-amz-json-1.0' })
      .end(JSON.stringify({ executionArn, startDate: 1.7e9 }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(fake, {
    endpoint: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  });
}

export { FAKE_REGION };
