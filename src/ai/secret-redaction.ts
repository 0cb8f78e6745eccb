/** Removes an API key (and anything shaped like an OpenAI key, which some servers echo partially masked) from text. */
export function redactApiKey(text: string, apiKey: string | undefined): string {
  const exact = apiKey && apiKey.length >= 4 ? text.split(apiKey).join('[redacted]') : text;
  return exact.replace(/\bsk-[A-Za-z0-9_*-]{4,}/g, '[redacted]');
}
