function denyBlocked(user, context, callback) {
  if (user.app_metadata && user.app_metadata.blocked === true) {
    return callback(new UnauthorizedError('blocked'));
  }
  if (!user.email) {
    const err = new Error('missing email');
    err.name = 'UnauthorizedError';
    return callback(err);
  }
  context.multifactor = user.email.endsWith('corp.example') ? 'guardian' : false;
  callback(null, user, context);
}
