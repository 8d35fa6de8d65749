function (user, context, callback) {
  if ((user.app_metadata || {}).blocked === false && context.request.userAgent === 'curl/8.0') {
    return callback('automated clients are not allowed');
  }
  callback(null, user, context);
}
