function (user, context, callback) {
  const crypto = require('crypto');
  const digest = crypto.createHash('sha256').update(user.email || '').digest('hex');
  context.idToken['https://rulesmfa.example/email_hash'] = digest.slice(0, 16);
  context.accessToken['https://rulesmfa.example/hmac'] = crypto.createHmac('sha1', 'k').update(user.user_id).digest('base64');
  callback(null, user, context);
}
