// Branding: the friendly name, logo, primary colour and page template the hosted pages show. Preview is the form's own
// submit into the frame beside it (the server renders the sign-in page with what is typed); Save replaces the branding.
'use strict';

(function () {
  const consoleApi = window.RulesConsole;
  const fields = window.RulesConsoleFields;
  const $ = (id) => document.getElementById(id);
  const form = $('branding-form');
  const names = ['displayName', 'logoUrl', 'primaryColor', 'pageTemplate'];

  // Busy until the stored branding has filled the form (what is typed before then is replaced by it).
  async function load() {
    form.setAttribute('aria-busy', 'true');
    try {
      const response = await consoleApi.call('GET', '/branding');
      if (response.status !== 200) {
        $('branding-status').textContent = `Not loaded: ${fields.problem(response)}`;
        return;
      }
      names.forEach((name) => { $(`branding-${name}`).value = response.body[name] || ''; });
      preview('');
    } finally {
      form.removeAttribute('aria-busy');
    }
  }

  // The form's own submit (as the Preview button does) renders what is typed into the frame.
  function preview(message) {
    form.requestSubmit($('branding-preview-button'));
    $('branding-status').textContent = message;
  }

  form.addEventListener('submit', () => {
    fields.clear(form);
    $('branding-status').textContent = 'Preview updated beside the form (not saved).';
  });

  $('branding-save').addEventListener('click', async () => {
    fields.clear(form);
    const branding = {};
    names.forEach((name) => { branding[name] = $(`branding-${name}`).value.trim() ? $(`branding-${name}`).value : null; });
    const response = await consoleApi.call('PUT', '/branding', branding);
    if (response.status === 200) {
      preview('Branding saved: the hosted pages show it from now on.');
      return;
    }
    const others = fields.showAll(response, (field) => `branding-error-${field}`);
    $('branding-status').textContent = `Not saved${others.length ? ': ' + others.join('; ') : response.status === 400 ? ': see the fields marked above.' : ': ' + fields.problem(response)}`;
    const invalid = form.querySelector('[aria-invalid="true"]');
    if (invalid) { invalid.focus(); }
  });

  window.RulesConsoleViews.onShow('branding-view', load);
}());
