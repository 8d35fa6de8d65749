function (user, context, callback) {
  // verify.js adds the tolerance as `seconds + (options.clockTolerance || 0)`: NaN and null add nothing, a number is
  // seconds, and a string is appended to the digits (a token 10 s past its exp verifies with '10').
  const now = Math.floor(Date.now() / 1000);
  const expired = jwt.sign({ sub: user.user_id, exp: now - 10 }, configuration.JWT_SECRET);
  const early = jwt.sign({ sub: user.user_id, nbf: now + 11 }, configuration.JWT_SECRET);
  const seen = [NaN, '10', 10, 11, 0, null].map((clockTolerance) => [expired, early].map((token) => {
    try {
      return jwt.verify(token, configuration.JWT_SECRET, { clockTolerance }).sub === user.user_id;
    } catch (err) {
      return err.name;
    }
  }));
  context.accessToken['https://rulesmfa.example/tolerance'] = seen;
  callback(null, user, context);
}
