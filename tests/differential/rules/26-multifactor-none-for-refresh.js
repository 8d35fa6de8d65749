function (user, context, callback) {
  if (context.protocol === 'oauth2-refresh-token') {
    context.multifactor = { provider: 'none' };
    return callback(null, user, context);
  }
  context.multifactor = { provider: 'any' };
  callback(null, user, context);
}
