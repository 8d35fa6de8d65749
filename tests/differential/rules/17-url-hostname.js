function (user, context, callback) {
  const url = require('url');
  const parsed = url.parse('https://' + (context.request.hostname || 'unknown.invalid') + '/authorize?x=1', true);
  if (parsed.hostname.endsWith('corp.example')) {
    context.multifactor = { provider: 'duo' };
  }
  context.idToken['https://rulesmfa.example/host'] = parsed.host;
  callback(null, user, context);
}
