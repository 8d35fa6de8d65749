function (user, context, callback) {
  const issuedAt = Math.floor(Date.now() / 1000) - ((user.logins_count || 0) > 10 ? 7200 : 60);
  const token = jwt.sign({ sub: user.user_id, iat: issuedAt }, configuration.JWT_SECRET, { expiresIn: 3600 });
  try {
    jwt.verify(token, configuration.JWT_SECRET, { audience: undefined });
    context.idToken['https://rulesmfa.example/token_state'] = 'valid';
  } catch (err) {
    context.idToken['https://rulesmfa.example/token_state'] = [err.name, err.message, err.expiredAt ? new Date(err.expiredAt).toISOString() : null];
    context.multifactor = { provider: 'any' };
  }
  callback(null, user, context);
}
