function (user, context, callback) {
  // A numeric secret from metadata passed to createHmac: Node's ERR_INVALID_ARG_TYPE, which the rule reports.
  const crypto = require('crypto');
  const secret = (user.app_metadata || {}).plan ? 'k-' + user.app_metadata.plan : user.logins_count;
  try {
    context.idToken['https://rulesmfa.example/hmac'] = crypto.createHmac('sha256', secret).update(user.user_id).digest('hex').slice(0, 16);
  } catch (err) {
    context.idToken['https://rulesmfa.example/hmac'] = [err.name, err.code, err.message];
  }
  callback(null, user, context);
}
