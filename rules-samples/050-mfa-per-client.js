// Requires MFA for a chosen set of applications (for example the admin console and the billing portal).
// Reads configuration.MFA_CLIENT_IDS: comma-separated client IDs. An MFA request an earlier rule already
// made is kept as it is.
function (user, context, callback) {
  const clientIds = (configuration.MFA_CLIENT_IDS || '')
    .split(',')
    .map((id) => id.trim())
    .filter((id) => id.length > 0);

  const earlier = context.multifactor;
  const alreadyRequested = earlier && earlier.provider !== 'none';

  if (clientIds.indexOf(context.clientID) !== -1 && !alreadyRequested) {
    context.multifactor = {
      provider: 'any',
      allowRememberBrowser: true
    };
  }

  callback(null, user, context);
}
