function (user, context, callback) {
  // jsonwebtoken's verify compares audiences with ===: a numeric aud is not its string. (No RegExp here: the harness's
  // vm realm fails verify.js's instanceof RegExp; MutationJwtTests covers it.)
  const token = jwt.sign({ sub: user.user_id, aud: user.logins_count || 0 }, configuration.JWT_SECRET);
  const seen = [];
  for (const audience of [String(user.logins_count || 0), user.logins_count || 0, [String(user.logins_count || 0), 'api']]) {
    try {
      seen.push(jwt.verify(token, configuration.JWT_SECRET, { audience: audience }).aud);
    } catch (err) {
      seen.push(err.name + ': ' + err.message);
    }
  }
  context.idToken['https://rulesmfa.example/audience_checks'] = seen;
  if (typeof seen[0] === 'string') {
    context.multifactor = { provider: 'any' };
  }
  callback(null, user, context);
}
