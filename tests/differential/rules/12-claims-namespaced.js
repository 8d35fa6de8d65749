function addClaims(user, context, callback) {
  const ns = configuration.NAMESPACE;
  context.idToken[ns + 'email'] = user.email;
  context.idToken[ns + 'logins'] = context.stats ? context.stats.loginsCount : 0;
  context.accessToken[ns + 'plan'] = (user.app_metadata || {}).plan || 'free';
  callback(null, user, context);
}
