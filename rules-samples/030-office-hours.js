// Denies logins to one application outside office hours: Monday to Friday, 08:00 to 18:00 UTC
// (08:00:00 is inside, 18:00:00 is outside). Other applications are not affected.
// Reads configuration.OFFICE_HOURS_CLIENT_ID: the client ID of the application to restrict.
function officeHoursOnly(user, context, callback) {
  const restrictedClient = (configuration.OFFICE_HOURS_CLIENT_ID || '').trim();
  if (!restrictedClient || context.clientID !== restrictedClient) {
    return callback(null, user, context);
  }

  const now = new Date();
  const day = now.getUTCDay(); // 0 = Sunday ... 6 = Saturday
  const minutes = now.getUTCHours() * 60 + now.getUTCMinutes();
  const weekday = day >= 1 && day <= 5;
  const inHours = minutes >= 8 * 60 && minutes < 18 * 60;

  if (!weekday || !inHours) {
    console.log('denied ' + (context.clientName || context.clientID) + ' at ' + now.toISOString() + ' (outside office hours)');
    return callback(new UnauthorizedError('This application is available Monday to Friday, 08:00 to 18:00 UTC.'));
  }

  return callback(null, user, context);
}
