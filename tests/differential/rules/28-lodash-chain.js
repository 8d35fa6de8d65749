function (user, context, callback) {
  const _ = require('lodash');
  const names = _.chain(context.authentication ? context.authentication.methods : [])
    .map('name').uniq().sortBy().value();
  context.idToken['https://rulesmfa.example/methods'] = names;
  if (!_.includes(names, 'mfa')) {
    context.multifactor = { provider: 'any', allowRememberBrowser: false };
  }
  callback(null, user, context);
}
