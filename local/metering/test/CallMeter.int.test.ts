import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { DynamoDBClient, GetItemCommand, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { CallMeter } from '../CallMeter';

describe('CallMeter', () => {
  const meter = new CallMeter();
  afterAll(() => meter.stop());

  it('forwards DynamoDB calls to DynamoDB Local and counts them by X-Amz-Target', async () => {
    const url = await meter.proxy('dynamodb', inject('dynamodbEndpoint'));
    const client = new DynamoDBClient({
      endpoint: url,
      region: 'eu-west-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    });
    try {
      const listed = await client.send(new ListTablesCommand({}));
      await client.send(new ListTablesCommand({}));
      // An error answer from upstream comes back as it is.
      const missing = client.send(
        new GetItemCommand({ TableName: `missing-${Date.now()}`, Key: { pk: { S: 'x' } } }),
      );

      expect(Array.isArray(listed.TableNames)).toBe(true);
      await expect(missing).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
      expect(meter.counts()).toMatchObject({ 'dynamodb.ListTables': 2, 'dynamodb.GetItem': 1 });
    } finally {
      client.destroy();
    }
  });

  it('counts query-protocol calls by their Action form field and forwards the body unchanged', async () => {
    const received: string[] = [];
    const upstream = http.createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => {
        body += chunk.toString();
      });
      req.on('end', () => {
        received.push(`${req.method} ${req.url} ${body}`);
        res.writeHead(200, { 'content-type': 'text/xml' }).end('<ok/>');
      });
    });
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', () => resolve()));
    try {
      const url = await meter.proxy('sqs', `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`);
      const body = 'Action=SendMessage&QueueUrl=q&MessageBody=hello';
      const answer = await fetch(`${url}/000000000000/q`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body,
      });
      const json = await fetch(url, {
        method: 'POST',
        headers: { 'x-amz-target': 'AmazonSQS.ReceiveMessage', 'content-type': 'application/x-amz-json-1.0' },
        body: '{}',
      });

      expect([answer.status, await answer.text(), json.status]).toEqual([200, '<ok/>', 200]);
      expect(received).toEqual([`POST /000000000000/q ${body}`, 'POST / {}']);
      expect(meter.counts()).toMatchObject({ 'sqs.SendMessage': 1, 'sqs.ReceiveMessage': 1 });
    } finally {
      upstream.close();
    }
  });

  it('adds counts kept elsewhere under their prefix', () => {
    meter.addSource('lambda', () => new Map([['orders.api', 3]]));

    expect(meter.counts()).toMatchObject({ 'lambda.orders.api': 3 });
  });
});
