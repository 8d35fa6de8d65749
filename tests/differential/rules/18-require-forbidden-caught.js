function (user, context, callback) {
  let fs;
  try {
    fs = require('fs');
  } catch (e) {
    context.idToken['https://rulesmfa.example/require_error'] = e.message;
  }
  callback(null, user, context);
}
