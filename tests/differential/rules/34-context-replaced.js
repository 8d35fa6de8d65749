function (user, context, callback) {
  const next = Object.assign({}, context, { multifactor: { provider: 'any', allowRememberBrowser: true } });
  next.idToken = Object.assign({}, context.idToken, { 'https://rulesmfa.example/replaced': true });
  callback(null, user, next);
}
