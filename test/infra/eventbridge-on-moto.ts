/**
 * An EventBridge rule on moto (bash scripts/with-emulators.sh), with an SQS queue as its
 * target in place of a Lambda function: moto matches the pattern, renders the
 * InputTransformer and delivers, and the queue shows what reached the target.
 */
import {
  CreateEventBusCommand,
  EventBridgeClient,
  PutEventsCommand,
  type PutEventsRequestEntry,
  PutRuleCommand,
  PutTargetsCommand,
} from '@aws-sdk/client-eventbridge';
import {
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { requireEmulators, uniqueName } from '../conformance/emulator-env.js';

/** moto's endpoints for the two services; missing ones are a loud failure, as in emulator-env.ts. */
function motoEndpoint(name: 'AWS_ENDPOINT_URL_EVENTBRIDGE' | 'AWS_ENDPOINT_URL_SQS'): string {
  requireEmulators();
  const endpoint = process.env[name];
  if (!endpoint)
    throw new Error(
      `${name} is unset; run the test as: bash scripts/with-emulators.sh npx vitest run <files>`,
    );
  return endpoint;
}

export interface RuleOnMoto {
  /** Puts events on the rule's bus, failing if moto refused any. */
  put(entries: readonly Omit<PutEventsRequestEntry, 'EventBusName'>[]): Promise<void>;
  /** The bodies of every message in the target queue, each deleted once read. */
  drain(): Promise<string[]>;
  close(): void;
}

/** A fresh bus, queue and rule whose one target is the queue, with `inputTransformer`. */
export async function ruleToQueue(
  eventPattern: Readonly<Record<string, unknown>>,
  inputTransformer: { readonly InputPathsMap: Record<string, string>; readonly InputTemplate: string },
): Promise<RuleOnMoto> {
  const region = requireEmulators().AWS_REGION;
  const events = new EventBridgeClient({ endpoint: motoEndpoint('AWS_ENDPOINT_URL_EVENTBRIDGE'), region });
  const sqs = new SQSClient({ endpoint: motoEndpoint('AWS_ENDPOINT_URL_SQS'), region });
  // A bus of its own, so no other run's events can reach this queue.
  const bus = uniqueName('endings');
  await events.send(new CreateEventBusCommand({ Name: bus }));
  const { QueueUrl: queueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: uniqueName('endings') }));
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }),
  );
  const rule = uniqueName('endings');
  await events.send(
    new PutRuleCommand({ Name: rule, EventBusName: bus, EventPattern: JSON.stringify(eventPattern) }),
  );
  const targets = await events.send(
    new PutTargetsCommand({
      Rule: rule,
      EventBusName: bus,
      Targets: [{ Id: 'queue', Arn: Attributes?.QueueArn, InputTransformer: { ...inputTransformer } }],
    }),
  );
  if (targets.FailedEntryCount) throw new Error(`moto refused the target: ${JSON.stringify(targets)}`);
  return {
    async put(entries) {
      // PutEvents takes at most ten entries.
      for (let i = 0; i < entries.length; i += 10) {
        const answer = await events.send(
          new PutEventsCommand({
            Entries: entries.slice(i, i + 10).map((e) => ({ ...e, EventBusName: bus })),
          }),
        );
        if (answer.FailedEntryCount)
          throw new Error(`moto refused events: ${JSON.stringify(answer.Entries)}`);
      }
    },
    async drain() {
      // moto delivers inside PutEvents, so every message is in the queue once put() returns.
      const bodies: string[] = [];
      for (;;) {
        const { Messages = [] } = await sqs.send(
          new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }),
        );
        if (Messages.length === 0) return bodies;
        bodies.push(...Messages.map((m) => m.Body ?? ''));
        await sqs.send(
          new DeleteMessageBatchCommand({
            QueueUrl: queueUrl,
            Entries: Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle })),
          }),
        );
      }
    },
    close() {
      events.destroy();
      sqs.destroy();
    },
  };
}

/**
 * The InputTemplate as moto must be given it to deliver what AWS delivers, for placeholders
 * that hold strings. AWS puts a string in the place of a bare `<name>` as a JSON string, and in
 * the place of a `<name>` inside a string as its text (EventBridge user guide, "Amazon
 * EventBridge input transformation", the rows "Simple JSON" and "JSON with strings and
 * variables": `"state": <state>` and `"state": "<state>"` both give `"state": "RUNNING"`).
 * moto 5.2.5 puts the text in both places, so `"jobId":<name>` becomes invalid JSON and moto
 * fails the PutEvents. Quoting each bare placeholder makes the two renderings one; it is wrong
 * for a placeholder holding a number, object or array, which the caller must rule out.
 */
export function quoteBarePlaceholders(template: string): string {
  // A JSON string (escapes included) is kept whole; a placeholder outside one is quoted.
  return template.replace(/"(?:[^"\\]|\\.)*"|<[^<>"]+>/g, (match) =>
    match.startsWith('<') ? `"${match}"` : match,
  );
}
