async (user, context, callback) => {
  if (!user.app_metadata) {
    throw new Error('no app_metadata for ' + user.user_id);
  }
  callback(null, user, context);
}
