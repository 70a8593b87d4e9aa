// Token usage as OpenAI-compatible backends report it (`usage.prompt_tokens`,
// `usage.completion_tokens`), read the same way from a JSON answer and from an SSE chunk.

/** Token counts of one answer; -1 where the backend did not report a count. */
export interface TokenUsage {
  promptTokens: number;
  completionTokens: number;
}

/** Copies the counts of `parsed.usage` into `into`; returns whether `parsed` carried a usage object. */
export function readUsage(parsed: unknown, into: TokenUsage): boolean {
  const usage = (parsed as { usage?: unknown } | null)?.usage as Record<string, unknown> | null | undefined;
  if (usage === null || typeof usage !== 'object') return false;
  if (typeof usage.prompt_tokens === 'number') into.promptTokens = usage.prompt_tokens;
  if (typeof usage.completion_tokens === 'number') into.completionTokens = usage.completion_tokens;
  return true;
}
