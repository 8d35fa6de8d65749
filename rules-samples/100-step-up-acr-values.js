// Step-up: when the application asks for multi-factor authentication through acr_values
// (context.request.query.acr_values holds http://schemas.openid.net/pape/policies/2007/06/multi-factor),
// requires MFA without remembering the browser, unless this session has already completed MFA.
// acr_values is a space-separated list; a query that repeats the parameter (an array) is accepted too.
// Reads no configuration.
async function stepUpOnAcrValues(user, context, callback) {
  const MFA_POLICY = 'http://schemas.openid.net/pape/policies/2007/06/multi-factor';
  const query = (context.request && context.request.query) || {};
  const requested = []
    .concat(query.acr_values || [])
    .join(' ')
    .split(/\s+/)
    .filter((value) => value.length > 0);

  if (requested.indexOf(MFA_POLICY) === -1) {
    return callback(null, user, context);
  }

  const methods = (context.authentication && context.authentication.methods) || [];
  if (methods.some((method) => method && method.name === 'mfa')) {
    console.log('step-up requested by ' + context.clientID + '; MFA already done in this session');
    return callback(null, user, context);
  }

  console.log('step-up requested by ' + context.clientID + '; MFA required');
  context.multifactor = { provider: 'any', allowRememberBrowser: false };
  return callback(null, user, context);
}
