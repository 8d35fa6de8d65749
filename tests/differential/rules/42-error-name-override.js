function (user, context, callback) {
  if (context.protocol === 'oauth2-refresh-token') {
    const err = new Error('refresh needs a fresh login');
    err.name = 'UnauthorizedError';
    return callback(err);
  }
  const moment = require('moment');
  context.idToken['https://rulesmfa.example/week'] = moment().isoWeek();
  callback(null, user, context);
}
