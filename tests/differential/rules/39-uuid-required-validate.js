function (user, context, callback) {
  const { v4, validate, version } = require('uuid');
  const id = v4();
  context.accessToken['https://rulesmfa.example/uuid_ok'] = validate(id) && version(id) === 4;
  context.accessToken['https://rulesmfa.example/nil'] = validate('00000000-0000-0000-0000-000000000000');
  callback(null, user, context);
}
