/** The request bodies every variant is sent, identical byte for byte (only the key and model differ). */

const prompt = "Reply to the benchmark with a short friendly greeting so that the gateway has a realistic small chat to carry";

export function chatBody(model: string): string {
  return JSON.stringify({ model, messages: [{ role: "system", content: "You are terse." }, { role: "user", content: prompt }], max_tokens: 64 });
}

/** Streaming: the client asks for usage itself, so the upstream sends the same events whether the gateway is in between or not. */
export function streamBody(model: string): string {
  return JSON.stringify({
    model, messages: [{ role: "user", content: prompt }], max_tokens: 64, stream: true, stream_options: { include_usage: true },
  });
}
