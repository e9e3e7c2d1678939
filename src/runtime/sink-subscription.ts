/** What a sink connector consumes: its `topics` list, or else its `topics.regex` (Java's Pattern semantics). */
import type { SinkConnectorConfig } from '../config/connector-config.ts'
import { javaRegexToJs } from '../java/pattern.ts'

export function sinkSubscription (cfg: Pick<SinkConnectorConfig, 'topics' | 'topicsRegex'>): string[] | RegExp {
  return cfg.topics.length > 0
    ? [...cfg.topics]
    : javaRegexToJs(cfg.topicsRegex.trim()) // Java's Pattern semantics, matching whole topic names
}
