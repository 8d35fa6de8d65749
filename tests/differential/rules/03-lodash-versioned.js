function (user, context, callback) {
  const _ = require('lodash@4.17.19');
  const roles = _.get(user, 'app_metadata.roles', []);
  if (_.intersection(roles, ['admin', 'support']).length > 0) {
    context.multifactor = { provider: 'guardian' };
  }
  context.idToken[configuration.NAMESPACE + 'roles'] = _.sortBy(roles);
  callback(null, user, context);
}
