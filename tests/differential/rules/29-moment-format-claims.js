function (user, context, callback) {
  const moment = require('moment');
  context.idToken['https://rulesmfa.example/login_day'] = moment.utc().format('dddd YYYY-MM-DD');
  context.idToken['https://rulesmfa.example/member_for'] = user.created_at ? moment.utc().diff(moment.utc(user.created_at), 'months') : null;
  callback(null, user, context);
}
