// Structured JSON logging for the Lambda: one JSON object per line, and the rule's metrics in CloudWatch EMF.

/** Where log lines go (console.log in Lambda, which CloudWatch Logs captures line by line). */
export type LogSink = (line: string) => void;

export type LogLevel = 'INFO' | 'WARN' | 'ERROR';

/** Fields every line of one invocation carries. */
export interface LogContext {
  configRuleName?: string;
  ruleId?: string;
  messageType?: string;
  requestId?: string;
}

/** The metrics the handler publishes per invocation. */
export interface InvocationMetrics {
  /** Evaluations sent to Config. */
  Evaluations: number;
  /** Resources ssmguard could not judge (ERROR): logged, never sent as a verdict. */
  EvaluationErrors: number;
  /** Previously judged resources that are gone, reported NOT_APPLICABLE by a periodic run. */
  StaleResources: number;
  /** Invocations that failed (1) or not (0). */
  InvocationFailures: number;
}

export const METRIC_NAMESPACE = 'ssmguard/ConfigRules';

/**
 * The metric members, and only they: EMF requires every declared metric to be a number (or an array of numbers)
 * at the root of the line, so the summary's string fields (rule name, message type…) must never be declared.
 */
export const METRIC_NAMES = [
  'Evaluations',
  'EvaluationErrors',
  'StaleResources',
  'InvocationFailures',
] as const satisfies readonly (keyof InvocationMetrics)[];

/**
 * A logger bound to one invocation. Each call writes one line of JSON (never multi-line, so CloudWatch keeps a
 * record whole). `metrics` writes the line in CloudWatch Embedded Metric Format, so the counts become metrics
 * per Config rule without a PutMetricData permission or call.
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html
 */
export class StructuredLog {
  constructor(
    private readonly sink: LogSink,
    private readonly context: LogContext,
    private readonly clock: () => number = Date.now,
  ) {}

  with(extra: LogContext): StructuredLog {
    return new StructuredLog(this.sink, { ...this.context, ...extra }, this.clock);
  }

  info(message: string, fields: Record<string, unknown> = {}): void {
    this.write('INFO', message, fields);
  }

  warn(message: string, fields: Record<string, unknown> = {}): void {
    this.write('WARN', message, fields);
  }

  error(message: string, fields: Record<string, unknown> = {}): void {
    this.write('ERROR', message, fields);
  }

  /**
   * The invocation summary with its metrics, dimensioned by Config rule name. Only METRIC_NAMES are declared (and
   * copied from `metrics`, whatever else the object carries); `fields` are logged as plain properties.
   */
  metrics(
    message: string,
    metrics: InvocationMetrics,
    fields: Record<string, unknown> = {},
    level: LogLevel = 'INFO',
  ): void {
    const values = Object.fromEntries(METRIC_NAMES.map((name) => [name, metrics[name]]));
    this.write(level, message, {
      ...fields,
      ...values,
      _aws: {
        Timestamp: this.clock(),
        CloudWatchMetrics: [
          {
            Namespace: METRIC_NAMESPACE,
            Dimensions: [['ConfigRuleName']],
            Metrics: METRIC_NAMES.map((Name) => ({ Name, Unit: 'Count' })),
          },
        ],
      },
      ConfigRuleName: this.context.configRuleName ?? 'unknown',
    });
  }

  private write(level: LogLevel, message: string, fields: Record<string, unknown>): void {
    this.sink(
      JSON.stringify({
        level,
        timestamp: new Date(this.clock()).toISOString(),
        message,
        ...this.context,
        ...fields,
      }),
    );
  }
}
