// Requires MFA (without remembering the browser) when a user logs in from a country that is not in
// user.app_metadata.known_countries (ISO 3166 alpha-2 codes, from context.request.geoip.country_code).
// A new country is saved with auth0.users.updateAppMetadata only once it is trusted: on the user's first
// login ever (nothing known yet), or when this session has already completed MFA. Saving it before MFA
// would let someone with a stolen password get past this rule on the second try. A login without a
// country fails closed to MFA. Reads no configuration.
function mfaOnNewCountry(user, context, callback) {
  const geoip = (context.request && context.request.geoip) || {};
  const country = typeof geoip.country_code === 'string' ? geoip.country_code.trim().toUpperCase() : '';
  const requireMfa = () => {
    context.multifactor = { provider: 'any', allowRememberBrowser: false };
  };

  if (!country) {
    console.log('no country for ' + ((context.request && context.request.ip) || 'an unknown IP') + '; MFA required');
    requireMfa();
    return callback(null, user, context);
  }

  user.app_metadata = user.app_metadata || {};
  const known = [].concat(user.app_metadata.known_countries || []).map((code) => String(code).toUpperCase());
  if (known.indexOf(country) !== -1) {
    return callback(null, user, context);
  }

  const methods = (context.authentication && context.authentication.methods) || [];
  const completedMfa = methods.some((method) => method && method.name === 'mfa');
  if (known.length > 0 && !completedMfa) {
    console.log('new country ' + country + ' (known: ' + known.join(', ') + '); MFA required');
    requireMfa();
    return callback(null, user, context);
  }

  user.app_metadata.known_countries = known.concat(country);
  auth0.users.updateAppMetadata(user.user_id, user.app_metadata)
    .then(() => callback(null, user, context))
    .catch(callback);
}
