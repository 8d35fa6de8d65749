function (user, context, callback) {
  Promise.resolve(user.app_metadata)
    .then((meta) => {
      if (meta.roles.length > 1) { context.multifactor = { provider: 'any' }; }
      callback(null, user, context);
    })
    .catch((err) => callback(new Error('could not read roles: ' + err.name)));
}
