function (user, context, callback) {
  const secret = (user.app_metadata || {}).roles ? configuration.JWT_SECRET : configuration.JWT_SECRET + '-rotated';
  const token = jwt.sign({ sub: user.user_id }, configuration.JWT_SECRET);
  jwt.verify(token, secret, { algorithms: ['HS256'] }, function (err, payload) {
    if (err) {
      return callback(new UnauthorizedError(err.name + ': ' + err.message));
    }
    context.idToken['https://rulesmfa.example/verified_sub'] = payload.sub;
    callback(null, user, context);
  });
}
