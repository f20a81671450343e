import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/**
 * EC2 events Karpenter acts on before AWS takes a node away: it cordons and drains the node and
 * starts a replacement, so a spot reclaim costs a restart rather than an outage. The event patterns
 * are those of Karpenter's getting-started CloudFormation template (v1.14.1).
 */
export const interruptionEvents = {
  "scheduled-change": { source: "aws.health", detailType: "AWS Health Event" },
  "spot-interruption": { source: "aws.ec2", detailType: "EC2 Spot Instance Interruption Warning" },
  rebalance: { source: "aws.ec2", detailType: "EC2 Instance Rebalance Recommendation" },
  "instance-state-change": { source: "aws.ec2", detailType: "EC2 Instance State-change Notification" },
  "capacity-reservation-interruption": { source: "aws.ec2", detailType: "EC2 Capacity Reservation Instance Interruption Warning" },
} as const;

/** The SQS queue EventBridge fills with interruption events, and the rules that fill it. */
export function interruptionQueue(name: string, clusterName: string, opts: pulumi.CustomResourceOptions): aws.sqs.Queue {
  const queue = new aws.sqs.Queue(name, {
    name: clusterName,
    messageRetentionSeconds: 300,
    sqsManagedSseEnabled: true,
  }, opts);

  new aws.sqs.QueuePolicy(name, {
    queueUrl: queue.url,
    policy: queue.arn.apply((arn) => JSON.stringify({
      Version: "2012-10-17",
      Id: "EC2InterruptionPolicy",
      Statement: [
        { Effect: "Allow", Principal: { Service: ["events.amazonaws.com", "sqs.amazonaws.com"] }, Action: "sqs:SendMessage", Resource: arn },
        { Sid: "DenyHTTP", Effect: "Deny", Principal: "*", Action: "sqs:*", Resource: arn, Condition: { Bool: { "aws:SecureTransport": "false" } } },
      ],
    })),
  }, opts);

  for (const [event, pattern] of Object.entries(interruptionEvents)) {
    const rule = new aws.cloudwatch.EventRule(`${name}-${event}`, {
      eventPattern: JSON.stringify({ source: [pattern.source], "detail-type": [pattern.detailType] }),
    }, opts);
    new aws.cloudwatch.EventTarget(`${name}-${event}`, { rule: rule.name, arn: queue.arn }, opts);
  }
  return queue;
}
