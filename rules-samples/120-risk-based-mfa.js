// Action: adaptive MFA from the login's risk assessment (event.authentication.riskAssessment).
// confidence 'low'    -> MFA;
// confidence 'medium' (or 'neutral', or anything unexpected) -> MFA unless the device is known
//                        (assessments.NewDevice.confidence is 'high');
// confidence 'high'   -> no MFA from this Action (other rules may still ask for it).
// No assessment at all -> logged and left to the other rules. MFA asked here never remembers the browser.
// Reads no secrets.
exports.onExecutePostLogin = async (event, api) => {
  const risk = event.authentication && event.authentication.riskAssessment;
  if (!risk || typeof risk.confidence !== 'string') {
    console.log('no risk assessment for this login; risk-based MFA skipped');
    return;
  }

  const requireMfa = (reason) => {
    console.log('risk ' + risk.confidence + ' (' + reason + '); MFA required');
    api.multifactor.enable('any', { allowRememberBrowser: false });
  };

  if (risk.confidence === 'high') {
    return;
  }

  if (risk.confidence === 'low') {
    requireMfa('low confidence');
    return;
  }

  const newDevice = (risk.assessments && risk.assessments.NewDevice) || {};
  if (newDevice.confidence !== 'high') {
    requireMfa('device not recognised');
  }
};
