/** Who is responding when nobody says: the login name, as a drill's journal records it. */
export function defaultResponder(): string {
  return process.env.USER ?? process.env.USERNAME ?? "responder";
}
