function (user, context, callback) {
  // jsonwebtoken 9's options schema: a whole number of seconds or a timespan string; what ms cannot read is refused with examples.
  const outcomes = [];
  for (const options of [{ expiresIn: 2.5 }, { notBefore: 0.5 }, { expiresIn: 'soon' }, { notBefore: 'later' }, { expiresIn: 90, notBefore: '2m' }]) {
    try {
      const payload = jwt.decode(jwt.sign({ sub: user.user_id }, configuration.JWT_SECRET, options));
      outcomes.push([payload.exp - payload.iat, payload.nbf - payload.iat]);
    } catch (err) {
      outcomes.push(err.name + ': ' + err.message);
    }
  }
  context.idToken['https://rulesmfa.example/jwt_timespans'] = outcomes;
  callback(null, user, context);
}
