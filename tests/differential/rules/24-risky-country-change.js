function (user, context, callback) {
  const previous = (user.app_metadata || {}).last_country;
  const current = context.request.geoip && context.request.geoip.country_code;
  if (previous && current && previous !== current) {
    context.multifactor = { provider: 'any' };
    context.idToken['https://rulesmfa.example/country_changed'] = [previous, current];
  }
  callback(null, user, context);
}
