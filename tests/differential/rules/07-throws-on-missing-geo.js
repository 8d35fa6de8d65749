function countryGate(user, context, callback) {
  const country = context.request.geoip.country_code;
  if (country === 'US') {
    context.multifactor = { provider: 'google-authenticator' };
  }
  callback(null, user, context);
}
