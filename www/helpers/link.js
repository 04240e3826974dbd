// Page state in a link's hash fragment (never sent to a server): `#<key>=<version>.<payload>`, the payload
// the base64url of the deflate-raw compressed UTF-8 JSON. The demo page (page/state.js, key "s") and the
// snippet builder (builder/, key "b") keep their state this way. Reading is defensive: a fragment that is
// too long, not base64url, damaged, too large once inflated or from another format version is refused
// with a reason a person can read.

const MAX_HASH = 16000;
const MAX_JSON = 64 * 1024;

/** A reason a link is refused, in words for the page's notice. */
export class LinkError extends Error {}

const bytesToBase64url = (bytes) =>
  btoa(Array.from(bytes, (b) => String.fromCharCode(b)).join(""))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");

function base64urlToBytes(text) {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) throw new LinkError("the link contains characters that are not base64url");
  const b64 = text.replace(/-/g, "+").replace(/_/g, "/");
  const binary = atob(b64 + "=".repeat((4 - (b64.length % 4)) % 4));
  return Uint8Array.from(binary, (ch) => ch.charCodeAt(0));
}

/** Runs `bytes` through a (de)compression stream, refusing more than MAX_JSON bytes out. */
async function pipe(bytes, transform) {
  const reader = new Blob([bytes]).stream().pipeThrough(transform).getReader();
  const chunks = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.length;
    if (total > MAX_JSON) {
      await reader.cancel();
      throw new LinkError("the data is too large");
    }
    chunks.push(value);
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) out.set(c, (at += c.length) - c.length);
  return out;
}

/** The hash fragment (without "#") holding `json` under `key`, format `version`. */
export async function writeLink(key, version, json) {
  const bytes = new TextEncoder().encode(JSON.stringify(json));
  return `${key}=${version}.${bytesToBase64url(await pipe(bytes, new CompressionStream("deflate-raw")))}`;
}

/**
 * The JSON held under `key` in a hash fragment (with or without "#"), or null when the fragment holds
 * none (empty, or some other fragment). Throws a `LinkError` for a link that cannot be read.
 */
export async function readLink(hash, key, version) {
  const h = String(hash ?? "").replace(/^#/, "");
  if (!h.startsWith(`${key}=`)) return null;
  if (h.length > MAX_HASH) throw new LinkError("the link is too long");
  const dot = h.indexOf(".");
  const found = dot < 0 ? NaN : Number(h.slice(key.length + 1, dot));
  if (found !== version)
    throw new LinkError(Number.isInteger(found) ? `made by another version of clvlab (format ${found})` : "no version");
  try {
    const bytes = await pipe(base64urlToBytes(h.slice(dot + 1)), new DecompressionStream("deflate-raw"));
    return JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
  } catch (e) {
    throw e instanceof LinkError ? e : new LinkError("the data is damaged");
  }
}
