function mfaOutsideOffice(user, context, callback) {
  const ipaddr = require('ipaddr.js');
  const ranges = configuration.OFFICE_CIDRS.split(',');
  let address = ipaddr.parse(context.request.ip);
  if (address.kind() === 'ipv6' && address.isIPv4MappedAddress()) {
    address = address.toIPv4Address();
  }
  const inOffice = ranges.some((range) => {
    const cidr = ipaddr.parseCIDR(range);
    return address.kind() === cidr[0].kind() && address.match(cidr);
  });
  if (!inOffice) {
    context.multifactor = { provider: 'any', allowRememberBrowser: true };
  }
  callback(null, user, context);
}
