// Requires MFA (without remembering the browser) when the login does not come from a trusted network.
// Reads configuration.TRUSTED_CIDRS: comma-separated IPv4 and IPv6 ranges in CIDR notation, e.g.
// "203.0.113.0/24, 2001:db8:1230::/44"; an address without "/n" is a single host. Entries that do not
// parse are logged and ignored. IPv4-mapped IPv6 addresses (::ffff:203.0.113.9) match IPv4 ranges.
// A login without a readable IP, or with no trusted ranges configured, is asked for MFA (fail closed).
// The address arithmetic is written out here because rules cannot require() modules.
function mfaOutsideTrustedNetworks(user, context, callback) {
  // '203.0.113.9' -> [203, 0, 113, 9], or null. Leading zeros are refused (some parsers read them as octal).
  function parseIPv4(text) {
    const parts = text.split('.');
    if (parts.length !== 4) return null;
    const bytes = [];
    for (const part of parts) {
      if (!/^(0|[1-9][0-9]{0,2})$/.test(part) || Number(part) > 255) return null;
      bytes.push(Number(part));
    }
    return bytes;
  }

  // '2001:db8::1' -> 16 bytes, or null. Handles '::' compression, an embedded IPv4 tail and a %zone.
  function parseIPv6(text) {
    const zone = text.indexOf('%');
    if (zone !== -1) text = text.slice(0, zone);

    const lastColon = text.lastIndexOf(':');
    if (lastColon !== -1 && text.indexOf('.', lastColon) !== -1) {
      const v4 = parseIPv4(text.slice(lastColon + 1));
      if (!v4) return null;
      text = text.slice(0, lastColon + 1) + ((v4[0] << 8) | v4[1]).toString(16) + ':' + ((v4[2] << 8) | v4[3]).toString(16);
    }

    const halves = text.split('::');
    if (halves.length > 2) return null;
    const groupsOf = (part) => (part === '' ? [] : part.split(':').map((group) => (/^[0-9a-f]{1,4}$/i.test(group) ? parseInt(group, 16) : NaN)));
    const head = groupsOf(halves[0]);
    const tail = halves.length === 2 ? groupsOf(halves[1]) : [];
    if (head.concat(tail).some((group) => isNaN(group))) return null;

    let groups;
    if (halves.length === 1) {
      if (head.length !== 8) return null;
      groups = head;
    } else {
      const missing = 8 - head.length - tail.length;
      if (missing < 1) return null; // '::' stands for at least one group of zeros
      groups = head.concat(new Array(missing).fill(0), tail);
    }

    const bytes = [];
    for (const group of groups) bytes.push(group >> 8, group & 0xff);
    return bytes;
  }

  const isMappedIPv4 = (bytes) => bytes.length === 16 && bytes.slice(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff;

  // Any textual address -> byte array (4 for IPv4, 16 for IPv6; mapped IPv4 becomes 4), or null.
  function parseAddress(text) {
    text = String(text || '').trim();
    if (text.startsWith('[') && text.endsWith(']')) text = text.slice(1, -1);
    if (text.indexOf(':') !== -1) {
      const bytes = parseIPv6(text);
      return bytes && isMappedIPv4(bytes) ? bytes.slice(12) : bytes;
    }
    return parseIPv4(text);
  }

  // '2001:db8:1230::/44' -> {bytes, prefix}, or null.
  function parseCidr(text) {
    const slash = text.indexOf('/');
    const address = slash === -1 ? text : text.slice(0, slash);
    let bytes = address.indexOf(':') !== -1 ? parseIPv6(address.trim()) : parseIPv4(address.trim());
    if (!bytes) return null;
    const maxPrefix = bytes.length * 8;
    const prefixText = slash === -1 ? String(maxPrefix) : text.slice(slash + 1).trim();
    if (!/^[0-9]{1,3}$/.test(prefixText) || Number(prefixText) > maxPrefix) return null;
    let prefix = Number(prefixText);
    if (isMappedIPv4(bytes) && prefix >= 96) {
      bytes = bytes.slice(12);
      prefix -= 96;
    }
    return { bytes, prefix };
  }

  function inRange(bytes, range) {
    if (bytes.length !== range.bytes.length) return false;
    let bits = range.prefix;
    for (let i = 0; bits > 0; i += 1, bits -= 8) {
      const mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
      if ((bytes[i] & mask) !== (range.bytes[i] & mask)) return false;
    }
    return true;
  }

  const ranges = [];
  for (const entry of (configuration.TRUSTED_CIDRS || '').split(',')) {
    const text = entry.trim();
    if (!text) continue;
    const range = parseCidr(text);
    if (range) ranges.push(range);
    else console.warn('TRUSTED_CIDRS: ignoring "' + text + '", not an IPv4 or IPv6 CIDR');
  }

  const ip = context.request && context.request.ip;
  const address = parseAddress(ip);
  const trusted = address !== null && ranges.some((range) => inRange(address, range));

  if (!trusted) {
    console.log((ip ? ip : 'a login without an IP') + ' is outside the trusted networks; MFA required');
    context.multifactor = { provider: 'any', allowRememberBrowser: false };
  }

  callback(null, user, context);
}
