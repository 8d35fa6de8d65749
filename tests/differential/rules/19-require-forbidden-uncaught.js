function (user, context, callback) {
  if (context.clientID === 'client-admin') {
    const request = require('request');
    return request.get('https://example.com', () => callback(null, user, context));
  }
  callback(null, user, context);
}
