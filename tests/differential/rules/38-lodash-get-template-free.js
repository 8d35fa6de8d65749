function (user, context, callback) {
  const { get, has, isEmpty } = require('lodash');
  if (isEmpty(get(user, 'user_metadata')) && has(user, 'app_metadata.roles')) {
    context.idToken['https://rulesmfa.example/profile'] = 'incomplete';
  }
  callback(null, user, context);
}
