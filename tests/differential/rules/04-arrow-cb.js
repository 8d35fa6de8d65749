(user, context, cb) => {
  if (!user.email_verified) {
    return cb(new UnauthorizedError('Please verify your email before logging in.'));
  }
  cb(null, user, context);
}
