// Twilio's request signature (twilio.com/docs/usage/webhooks/webhooks-security): HMAC-SHA1 with
// the account's Auth Token over the full URL Twilio called, followed by every POST parameter's
// name and value, sorted by name, without separators or encoding; base64. As Twilio's own
// libraries do, a URL is accepted with or without its scheme's default port (Twilio signs
// either, depending on how the webhook URL was written) and a repeated parameter contributes
// each distinct value, sorted.
import crypto from 'node:crypto';

export type FormParams = Record<string, string | string[]>;

export function twilioSignature(authToken: string, url: string, params: FormParams): string {
  let data = url;
  for (const name of Object.keys(params).sort()) {
    const value = params[name]!;
    const values = Array.isArray(value) ? [...new Set(value)].sort() : [value];
    for (const v of values) data += name + v;
  }
  return crypto.createHmac('sha1', authToken).update(data, 'utf8').digest('base64');
}

/** The URL as written, and with its scheme's default port added or taken away. */
function urlForms(url: string): string[] {
  const schemeEnd = url.indexOf('://');
  const scheme = url.slice(0, schemeEnd).toLowerCase();
  if (schemeEnd < 0 || (scheme !== 'http' && scheme !== 'https')) return [url];
  const rest = url.slice(schemeEnd + 3);
  const cut = rest.search(/[/?#]/);
  const authority = cut < 0 ? rest : rest.slice(0, cut);
  const head = url.slice(0, schemeEnd + 3);
  const tail = cut < 0 ? '' : rest.slice(cut);
  const port = scheme === 'https' ? ':443' : ':80';
  if (authority.endsWith(port)) return [url, head + authority.slice(0, -port.length) + tail];
  // Another port stays as it is; a host without one may have been signed with the default.
  if (/:\d+$/.test(authority)) return [url];
  return [url, head + authority + port + tail];
}

const sameText = (a: string, b: string) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  // timingSafeEqual needs equal lengths; a length that differs says nothing about the token.
  return x.length === y.length && crypto.timingSafeEqual(x, y);
};

/** Whether `signature` (the X-Twilio-Signature header) signs this URL and form; constant time. */
export function isTwilioSigned(authToken: string, signature: string | undefined, url: string, params: FormParams) {
  if (!signature) return false;
  let valid = false;
  // Every form is computed and compared, so the time taken says nothing about which matched.
  for (const form of urlForms(url)) valid = sameText(twilioSignature(authToken, form, params), signature) || valid;
  return valid;
}
