// URLs can carry credentials (`https://user:token@host`): every URL a message prints goes through here.

/** `text` with the user and password of every URL in it replaced by `***`. */
export function withoutUrlCredentials(text: string): string {
  return text.replace(/([a-z][a-z0-9+.-]*:\/\/)[^/@\s]+@/gi, "$1***@");
}
