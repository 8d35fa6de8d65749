function (user, context, callback) {
  if ((user.app_metadata || {}).plan === 'enterprise') {
    return;
  }
  callback(null, user, context);
}
