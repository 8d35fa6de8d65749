// Requires MFA, without remembering the browser, for users holding an administrative role in
// user.app_metadata.roles (an array of role names; a single string is accepted too).
// Reads configuration.MFA_ROLES: comma-separated role names (optional, default "admin").
function mfaForAdmins(user, context, callback) {
  const wanted = (configuration.MFA_ROLES || 'admin')
    .split(',')
    .map((role) => role.trim())
    .filter((role) => role.length > 0);

  const metadata = user.app_metadata || {};
  const roles = [].concat(metadata.roles || []);
  const matched = roles.filter((role) => wanted.indexOf(role) !== -1);

  if (matched.length > 0) {
    console.log('role ' + matched.join(', ') + ' requires MFA for ' + user.user_id);
    context.multifactor = {
      provider: 'any',
      allowRememberBrowser: false
    };
  }

  callback(null, user, context);
}
