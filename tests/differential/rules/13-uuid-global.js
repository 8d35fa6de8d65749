function (user, context, callback) {
  const id = uuid.v4();
  context.idToken['https://rulesmfa.example/session_tag_ok'] = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(id);
  callback(null, user, context);
}
