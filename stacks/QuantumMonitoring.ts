import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { QuantumFunction } from './QuantumFunction';

/** Properties of a {@link QuantumMonitoring}. */
export interface QuantumMonitoringProps {
  /** Resource name prefix. */
  readonly prefix: string;
  /** The quantum being monitored. */
  readonly quantum: string;
}

/**
 * A quantum's alarms and its CloudWatch dashboard (`${prefix}-${quantum}`). Each `monitor…()` call
 * adds the alarms of one resource and a dashboard row with its graphs and alarm states.
 *
 * Alarms have no actions here: where they notify (SNS, chat, paging) is an operations decision per
 * environment; {@link alarms} exposes them for that wiring.
 *
 * @example
 * ```ts
 * const monitoring = new QuantumMonitoring(this, 'Monitoring', { prefix: 'quanta', quantum: 'identity' });
 * monitoring.monitorFunction(api);
 * monitoring.monitorDeadLetterQueue(inbox.deadLetterQueue);
 * ```
 */
export class QuantumMonitoring extends Construct {
  /** The dashboard. */
  readonly dashboard: cloudwatch.Dashboard;
  readonly #alarms: cloudwatch.Alarm[] = [];
  readonly #prefix: string;

  constructor(scope: Construct, id: string, props: QuantumMonitoringProps) {
    super(scope, id);
    this.#prefix = `${props.prefix}-${props.quantum}`;
    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      dashboardName: this.#prefix,
      defaultInterval: Duration.hours(3),
    });
  }

  /** Every alarm created so far. */
  get alarms(): readonly cloudwatch.Alarm[] {
    return [...this.#alarms];
  }

  /**
   * Errors (any), throttles (any) and p99 duration above 80% of the timeout (three consecutive minutes),
   * plus a dashboard row with invocations, errors, throttles and p50/p99 duration.
   */
  monitorFunction(fn: QuantumFunction): this {
    const f = fn.function;
    const id = fn.node.id;
    const period = Duration.minutes(1);
    const errors = f.metricErrors({ period, statistic: 'Sum' });
    const throttles = f.metricThrottles({ period, statistic: 'Sum' });
    const p99 = f.metricDuration({ period, statistic: 'p99' });
    const alarms = [
      this.#alarm(
        `${id}Errors`,
        `${fn.functionName}-errors`,
        errors,
        0,
        1,
        `${fn.functionName} reported errors`,
      ),
      this.#alarm(
        `${id}Throttles`,
        `${fn.functionName}-throttles`,
        throttles,
        0,
        1,
        `${fn.functionName} was throttled`,
      ),
      this.#alarm(
        `${id}DurationP99`,
        `${fn.functionName}-duration-p99`,
        p99,
        fn.timeout.toMilliseconds() * 0.8,
        3,
        `${fn.functionName} p99 duration above 80% of its ${fn.timeout.toSeconds()} s timeout`,
      ),
    ];
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: `${fn.functionName}: invocations, errors, throttles`,
        left: [f.metricInvocations({ period, statistic: 'Sum' }), errors, throttles],
        width: 9,
      }),
      new cloudwatch.GraphWidget({
        title: `${fn.functionName}: duration`,
        left: [f.metricDuration({ period, statistic: 'p50' }), p99],
        width: 9,
      }),
      new cloudwatch.AlarmStatusWidget({ title: `${fn.functionName} alarms`, alarms, width: 6 }),
    );
    return this;
  }

  /** Depth above zero (a message that could not be processed), plus a dashboard row. */
  monitorDeadLetterQueue(queue: sqs.IQueue, label: string): this {
    const depth = queue.metricApproximateNumberOfMessagesVisible({
      period: Duration.minutes(1),
      statistic: 'Maximum',
    });
    const alarm = this.#alarm(
      `${label}Depth`,
      `${this.#prefix}-${label}-dlq-depth`,
      depth,
      0,
      1,
      `Dead-letter queue ${label} of ${this.#prefix} holds messages: inspect and redrive`,
    );
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({ title: `DLQ ${label}: depth`, left: [depth], width: 18 }),
      new cloudwatch.AlarmStatusWidget({ title: `DLQ ${label}`, alarms: [alarm], width: 6 }),
    );
    return this;
  }

  /** Queue backlog (visible messages, age of the oldest message) on the dashboard; no alarm. */
  monitorQueue(queue: sqs.IQueue, label: string): this {
    const period = Duration.minutes(1);
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: `Queue ${label}: backlog`,
        left: [queue.metricApproximateNumberOfMessagesVisible({ period, statistic: 'Maximum' })],
        right: [queue.metricApproximateAgeOfOldestMessage({ period, statistic: 'Maximum' })],
        width: 24,
      }),
    );
    return this;
  }

  /**
   * Alarms on a metric (5xx of an API, a business metric …) with a dashboard row: above `threshold`
   * for `evaluationPeriods` periods in a row (default 3: a blip is not a page).
   */
  monitorMetric(
    label: string,
    metric: cloudwatch.IMetric,
    threshold: number,
    description: string,
    evaluationPeriods = 3,
  ): this {
    const alarm = this.#alarm(
      label,
      `${this.#prefix}-${label}`,
      metric,
      threshold,
      evaluationPeriods,
      description,
    );
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({ title: label, left: [metric], width: 18 }),
      new cloudwatch.AlarmStatusWidget({ title: label, alarms: [alarm], width: 6 }),
    );
    return this;
  }

  #alarm(
    id: string,
    name: string,
    metric: cloudwatch.IMetric,
    threshold: number,
    evaluationPeriods: number,
    description: string,
  ): cloudwatch.Alarm {
    const alarm = new cloudwatch.Alarm(this, id, {
      alarmName: name,
      alarmDescription: description,
      metric,
      threshold,
      evaluationPeriods,
      datapointsToAlarm: evaluationPeriods,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    this.#alarms.push(alarm);
    return alarm;
  }
}
