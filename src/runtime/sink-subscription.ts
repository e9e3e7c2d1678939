/** What a sink connector consumes: its `topics` list, or else its `topics.regex` (Java's Pattern semantics). */
import { TOPICS_CONFIG, TOPICS_REGEX_CONFIG } from '../config/connector-config.ts'
import { javaRegexToJs } from '../java/pattern.ts'

export function sinkSubscription (cfg: Readonly<Record<string, string>>): string[] | RegExp {
  const topics = (cfg[TOPICS_CONFIG] ?? '').trim()
  return topics !== ''
    ? [...new Set(topics.split(/\s*,\s*/).filter(t => t !== ''))]
    : javaRegexToJs((cfg[TOPICS_REGEX_CONFIG] ?? '').trim()) // Java's Pattern semantics, matching whole topic names
}
