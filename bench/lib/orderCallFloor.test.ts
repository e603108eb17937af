import { describe, expect, it } from 'vitest';
import { type CallCost, orderCallFloor } from './orderCallFloor';

const costs = new Map<string, CallCost>([
  ['dynamodb.GetItem', { callerCpuMs: 1, engineCpuMs: 0.5 }],
  ['dynamodb.TransactWriteItems', { callerCpuMs: 1.5, engineCpuMs: 4 }],
  ['sqs.SendMessage', { callerCpuMs: 0.75, engineCpuMs: 0 }],
  ['sqs.ReceiveMessage + DeleteMessageBatch', { callerCpuMs: 1.25, engineCpuMs: 0 }],
]);

describe('orderCallFloor', () => {
  it('prices each metered call by the row that measured one, split into caller and engine', () => {
    const floor = orderCallFloor(
      { 'dynamodb.GetItem': 2, 'dynamodb.TransactWriteItems': 4, 'sqs.SendMessage': 4 },
      costs,
    );

    expect(floor.byCall).toEqual({
      'dynamodb.GetItem': 3,
      'dynamodb.TransactWriteItems': 22,
      'sqs.SendMessage': 3,
    });
    expect(floor.callerMs).toBe(2 + 6 + 3);
    expect(floor.engineMs).toBe(1 + 16);
    expect(floor.floorMs).toBe(28);
    expect(floor.notCosted).toEqual({});
  });

  it('counts a receive and a delete as one measured pair, and lists what is left of either', () => {
    const floor = orderCallFloor({ 'sqs.ReceiveMessage': 2.5, 'sqs.DeleteMessageBatch': 2 }, costs);

    expect(floor.byCall).toEqual({ 'sqs.ReceiveMessage + DeleteMessageBatch': 2.5 });
    expect(floor.notCosted).toEqual({ 'sqs.ReceiveMessage': 0.5 });
  });

  it('adds nothing for calls no row measures and names them instead', () => {
    const floor = orderCallFloor(
      { 'lambda.orders.api': 1, 'events.PutEvents': 0.8, 'dynamodb.Query': 2, 'dynamodb.GetItem': 1 },
      costs,
    );

    expect(floor.floorMs).toBe(1.5);
    expect(floor.notCosted).toEqual({ 'lambda.orders.api': 1, 'events.PutEvents': 0.8, 'dynamodb.Query': 2 });
  });

  it('leaves receives and deletes uncosted when the pair was not measured', () => {
    const floor = orderCallFloor({ 'sqs.ReceiveMessage': 2, 'sqs.DeleteMessageBatch': 2 }, new Map());

    expect(floor.floorMs).toBe(0);
    expect(floor.notCosted).toEqual({ 'sqs.ReceiveMessage': 2, 'sqs.DeleteMessageBatch': 2 });
  });
});
