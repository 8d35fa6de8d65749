function (user, context, callback) {
  user.user_metadata = user.user_metadata || {};
  user.user_metadata.seen_at = new Date().toISOString();
  auth0.users.updateUserMetadata(user.user_id, user.user_metadata)
    .then(function () { callback(null, user, context); })
    .catch(function (err) { callback(err); });
}
