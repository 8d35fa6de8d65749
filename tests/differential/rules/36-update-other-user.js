function (user, context, callback) {
  auth0.users.updateAppMetadata('auth0|someone-else', { hijack: true })
    .then(() => callback(null, user, context))
    .catch((err) => callback(new UnauthorizedError('metadata update refused')));
}
