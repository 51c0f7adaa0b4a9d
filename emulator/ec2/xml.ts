/**
 * The EC2 Query protocol's XML: `<XxxResponse xmlns=…><requestId/>…</XxxResponse>` for results,
 * `<Response><Errors><Error>…` for errors, lists as `<name><item>…</item></name>`.
 * Every function returns an already-escaped fragment.
 */

const EC2_XMLNS = 'http://ec2.amazonaws.com/doc/2016-11-15/';

export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

/** A scalar element; absent values render nothing, as EC2 omits unset members. */
export function el(name: string, value: string | number | boolean | undefined): string {
  return value === undefined ? '' : `<${name}>${escapeXml(String(value))}</${name}>`;
}

/** A structure element whose children are already rendered. */
export function node(name: string, ...children: string[]): string {
  return `<${name}>${children.join('')}</${name}>`;
}

/** A list: each entry is the inside of one `<item>`. EC2 renders an empty list as `<name/>`. */
export function items(name: string, entries: readonly string[]): string {
  return entries.length === 0 ? `<${name}/>` : `<${name}>${entries.map((e) => `<item>${e}</item>`).join('')}</${name}>`;
}

export function tagSet(tags: Readonly<Record<string, string>>): string {
  const keys = Object.keys(tags);
  return keys.length === 0
    ? ''
    : items(
        'tagSet',
        keys.map((k) => el('key', k) + el('value', tags[k])),
      );
}

export function resultDocument(action: string, requestId: string, body: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<${action}Response xmlns="${EC2_XMLNS}">${el('requestId', requestId)}${body}</${action}Response>`;
}

export function errorDocument(code: string, message: string, requestId: string): string {
  return '<?xml version="1.0" encoding="UTF-8"?>\n' + `<Response><Errors><Error>${el('Code', code)}${el('Message', message)}</Error></Errors>${el('RequestID', requestId)}</Response>`;
}
