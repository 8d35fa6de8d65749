function (user, context, callback) {
  // "Never expires" by a huge expiresIn: timespan.js adds in JavaScript's numbers, so the exp claim is a double past
  // 2^53 (or 1e+21 as JSON writes it), and the token's bytes say so; verify still takes it as unexpired.
  const spans = [Number.MAX_SAFE_INTEGER, 1e21, -1e21, (user.logins_count || 0) * 1e19];
  const seen = spans.map((span) => {
    const token = jwt.sign({ sub: user.user_id }, configuration.JWT_SECRET, { expiresIn: span });
    let state;
    try {
      state = jwt.verify(token, configuration.JWT_SECRET, { clockTolerance: 30 }).exp;
    } catch (err) {
      state = [err.name, String(err.expiredAt)];
    }
    return [token.split('.')[1], state];
  });
  context.accessToken['https://rulesmfa.example/long_lived'] = seen;
  callback(null, user, context);
}
