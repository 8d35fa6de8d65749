function (user, context, callback) {
  const crypto = require('crypto');
  const expected = Buffer.from(configuration.ALLOWED_CLIENTS.split(',')[0]);
  const given = Buffer.from(String(context.clientID));
  const same = expected.length === given.length && crypto.timingSafeEqual(expected, given);
  context.idToken['https://rulesmfa.example/web'] = same;
  callback(null, user, context);
}
