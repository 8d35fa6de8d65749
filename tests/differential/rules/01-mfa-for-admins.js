function mfaForAdmins(user, context, callback) {
  const roles = (user.app_metadata || {}).roles || [];
  if (roles.indexOf('admin') !== -1) {
    context.multifactor = { provider: 'any', allowRememberBrowser: false };
  }
  callback(null, user, context);
}
