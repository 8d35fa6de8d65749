function (user, context, callback) {
  const meta = JSON.parse(JSON.stringify(user.app_metadata || {}));
  meta.logins = (meta.logins || 0) + 1;
  meta.roles = undefined;
  auth0.users.updateAppMetadata(user.user_id, meta).then(() => callback(null, user, context), callback);
}
