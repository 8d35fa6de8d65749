// Requires MFA for users who opted in from their profile page: user.user_metadata.use_mfa is true
// (the boolean, or the string "true" as some profile forms save it). An MFA request an earlier rule
// already made is kept as it is. Reads no configuration.
(user, context, cb) => {
  const metadata = user.user_metadata || {};
  const optedIn = metadata.use_mfa === true || metadata.use_mfa === 'true';
  const earlier = context.multifactor;
  const alreadyRequested = earlier && earlier.provider !== 'none';

  if (optedIn && !alreadyRequested) {
    context.multifactor = { provider: 'any', allowRememberBrowser: true };
  }

  cb(null, user, context);
}
