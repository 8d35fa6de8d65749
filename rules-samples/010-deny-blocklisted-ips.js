// Denies logins that come from a blocklisted IP address.
// Reads configuration.BLOCKED_IPS: comma-separated addresses, IPv4 or IPv6, e.g. "198.51.100.66, 2001:db8:bad::66".
// Addresses are compared as text (case-insensitive, IPv4-mapped IPv6 such as ::ffff:198.51.100.66 counts as its
// IPv4 address); write IPv6 addresses in their canonical compressed form. Ranges: see 090-mfa-outside-trusted-networks.
function denyBlocklistedIps(user, context, callback) {
  const normalize = (address) => {
    let text = String(address || '').trim().toLowerCase();
    if (text.startsWith('[') && text.endsWith(']')) {
      text = text.slice(1, -1);
    }
    const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/.exec(text);
    return mapped ? mapped[1] : text;
  };

  const blocked = (configuration.BLOCKED_IPS || '')
    .split(',')
    .map(normalize)
    .filter((entry) => entry.length > 0);

  const ip = normalize(context.request && context.request.ip);
  if (ip && blocked.indexOf(ip) !== -1) {
    console.log('blocked login for ' + user.user_id + ' from ' + ip);
    return callback(new Error('Logins from this network are not allowed.'));
  }

  return callback(null, user, context);
}
