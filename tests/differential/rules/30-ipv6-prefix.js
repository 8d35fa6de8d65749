function (user, context, callback) {
  const ipaddr = require('ipaddr.js');
  if (!ipaddr.isValid(context.request.ip)) {
    return callback(new Error('invalid ip'));
  }
  const ip = ipaddr.process(context.request.ip);
  context.idToken['https://rulesmfa.example/ip_kind'] = ip.kind();
  context.idToken['https://rulesmfa.example/ip_range'] = ip.range();
  if (ip.kind() === 'ipv6' && ip.match(ipaddr.parseCIDR('2001:db8::/32'))) {
    context.multifactor = { provider: 'any' };
  }
  callback(null, user, context);
}
