function (user, context, callback) {
  const qs = require('querystring');
  const state = qs.stringify({ client: context.clientID, user: user.user_id, n: 2 });
  context.idToken['https://rulesmfa.example/state'] = state;
  context.idToken['https://rulesmfa.example/parsed'] = qs.parse(state).client;
  callback(null, user, context);
}
