async function recordCountry(user, context, callback) {
  const country = context.request.geoip ? context.request.geoip.country_code : 'unknown';
  user.app_metadata = user.app_metadata || {};
  user.app_metadata.last_country = country;
  try {
    await auth0.users.updateAppMetadata(user.user_id, user.app_metadata);
    callback(null, user, context);
  } catch (err) {
    callback(err);
  }
}
