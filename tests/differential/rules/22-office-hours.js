function officeHours(user, context, callback) {
  const now = new Date();
  const hour = now.getUTCHours();
  const day = now.getUTCDay();
  const inHours = day >= 1 && day <= 5 && hour >= 8 && hour < 18;
  if (!inHours && (user.app_metadata || {}).roles && user.app_metadata.roles.includes('support')) {
    return callback(new UnauthorizedError('Support staff may log in only during office hours.'));
  }
  context.idToken['https://rulesmfa.example/in_hours'] = inHours;
  callback(null, user, context);
}
