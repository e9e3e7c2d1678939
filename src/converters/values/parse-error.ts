/** Kafka's DataException inside the parser: a failed array or map turns back into text. */
export class ParseError extends Error {}
