function delayedDecision(user, context, callback) {
  const steps = [];
  setTimeout(() => steps.push('slow'), 20);
  setTimeout(() => {
    steps.push('fast');
    context.idToken['https://rulesmfa.example/steps'] = steps;
  }, 5);
  setTimeout(() => {
    if ((user.app_metadata || {}).roles) {
      context.multifactor = { provider: 'any' };
    }
    callback(null, user, context);
  }, 30);
}
