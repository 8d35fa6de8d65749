function onlyAllowedClients(user, context, callback) {
  const allowed = configuration.ALLOWED_CLIENTS.split(',');
  if (allowed.indexOf(context.clientID) === -1) {
    return callback(new UnauthorizedError('Access to ' + context.clientID + ' is not allowed.'));
  }
  callback(null, user, context);
}
