// Denies a login until the user has verified their email address.
// Users without an email address (for example passwordless SMS users) are not affected; an email whose
// email_verified flag is missing counts as unverified. Reads no configuration.
function (user, context, callback) {
  if (user.email && user.email_verified !== true) {
    return callback(new UnauthorizedError('Please verify your email before logging in.'));
  }

  callback(null, user, context);
}
