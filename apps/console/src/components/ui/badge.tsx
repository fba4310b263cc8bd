const tones: Record<string, string> = {
  active: "badge-success",
  success: "badge-success",
  ok: "badge-success",
  grace: "badge-warning",
  disabled: "badge-warning",
  expired: "badge-warning",
  incomplete: "badge-warning",
  revoked: "badge-danger",
  error: "badge-danger",
  denied: "badge-danger",
  failure: "badge-danger",
  idp: "badge-info",
};

/** A status word in its colour; the word itself carries the meaning (not only the colour). */
export function Badge({ children, tone }: { children: string; tone?: string }) {
  return <span className={`badge ${tones[tone ?? children] ?? ""}`}>{children}</span>;
}
