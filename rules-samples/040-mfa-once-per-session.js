// Requires MFA once per session: when this session has not completed MFA yet, asks for it and lets the
// user remember the browser; when context.authentication.methods already holds {name: 'mfa'}, skips.
// An MFA request that an earlier rule already made is kept as it is (it may forbid remembering the browser).
// Reads no configuration.
function (user, context, callback) {
  const methods = (context.authentication && context.authentication.methods) || [];
  const completedMfa = methods.some((method) => method && method.name === 'mfa');
  const earlier = context.multifactor;
  const alreadyRequested = earlier && earlier.provider !== 'none';

  if (!completedMfa && !alreadyRequested) {
    context.multifactor = {
      provider: 'any',
      allowRememberBrowser: true
    };
  }

  callback(null, user, context);
}
