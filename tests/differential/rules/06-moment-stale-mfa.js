function (user, context, callback) {
  const moment = require('moment');
  const methods = (context.authentication && context.authentication.methods) || [];
  const mfa = methods.find((m) => m.name === 'mfa');
  if (!mfa || moment().diff(moment(mfa.timestamp), 'days') > 30) {
    context.multifactor = { provider: 'any', allowRememberBrowser: false };
  }
  callback(null, user, context);
}
