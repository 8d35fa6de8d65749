function (user, context, callback) {
  // Options meant for verify (algorithms), a typo (expiresln) and an option set to undefined: jsonwebtoken 9's options
  // schema refuses each by name; the rule falls back to MFA when its token cannot be made.
  const roles = (user.app_metadata || {}).roles || [];
  const attempts = [
    { algorithms: ['HS256'] },
    { expiresln: '1h' },
    { expiresIn: '1h', audience: roles.length ? roles[0] : undefined },
    { expiresIn: '1h', keyid: user.logins_count },
  ];
  const outcomes = attempts.map((options) => {
    try {
      return Object.keys(jwt.decode(jwt.sign({ sub: user.user_id }, configuration.JWT_SECRET, options)));
    } catch (err) {
      return err.name + ': ' + err.message;
    }
  });
  context.idToken['https://rulesmfa.example/sign_options'] = outcomes;
  if (outcomes.some((outcome) => typeof outcome === 'string')) {
    context.multifactor = { provider: 'any' };
  }
  callback(null, user, context);
}
