// Tenant settings within this server's caps: the form is built from GET /settings/caps, each field shows its cap, and a
// refused save puts the server's message beside its field. Settings this form does not show (phone, WebAuthn, Duo) are sent
// back as they were read.
'use strict';

(function () {
  const consoleApi = window.RulesConsole;
  const fields = window.RulesConsoleFields;
  const $ = (id) => document.getElementById(id);
  const form = $('settings-form');
  const limitNames = {
    ruleTimeout: ['Time per rule', 'ms'], pipelineTimeout: ['Time per login, all rules', 'ms'], maxStatements: ['Statements per rule', ''],
    maxMemoryBytes: ['Memory per rule', 'bytes'], maxRecursionDepth: ['Call depth', ''], regexTimeout: ['Time per regular expression match', 'ms'],
    maxRegexLength: ['Longest regular expression', 'characters'], maxArraySize: ['Largest array', 'items'], maxStringLength: ['Longest built string', 'characters'],
    maxOutputBytes: ['Largest output', 'bytes'], maxPromiseReactions: ['Promise reactions per rule', ''], maxBinaryBytes: ['Largest binary data', 'bytes'],
    allowStringCompilation: ['Allow eval and new Function(string)', ''], maxLogEntries: ['Console lines per login', ''], maxLogMessageLength: ['Characters per console line', ''],
  };
  let loaded = null;   // the settings as read, so that what this form does not show goes back unchanged
  let caps = null;
  let latest = 0;      // the newest load asked for: the view's first load may answer after a save's, and must not undo it

  // Durations travel as .NET TimeSpans ("00:00:00.25", "1.00:00:00"); the form shows milliseconds.
  const isDuration = (value) => typeof value === 'string' && /^(\d+\.)?\d+:\d+:\d+(\.\d+)?$/.test(value);
  function toMs(span) {
    const [, days, hours, minutes, seconds, fraction] = /^(?:(\d+)\.)?(\d+):(\d+):(\d+)(?:\.(\d+))?$/.exec(span);
    return ((((Number(days || 0) * 24) + Number(hours)) * 60 + Number(minutes)) * 60 + Number(seconds)) * 1000 + Math.round(Number(`0.${fraction || 0}`) * 1000);
  }
  function toSpan(ms) {
    const pad = (value, length) => String(value).padStart(length || 2, '0');
    const days = Math.floor(ms / 86400000);
    const time = `${pad(Math.floor(ms / 3600000) % 24)}:${pad(Math.floor(ms / 60000) % 60)}:${pad(Math.floor(ms / 1000) % 60)}.${pad(ms % 1000, 3)}`;
    return days ? `${days}.${time}` : time;
  }
  const shown = (value) => (isDuration(value) ? toMs(value) : value);
  const number = (value) => Number(value).toLocaleString('en');

  function capText(cap, unit) {
    if (typeof cap.max === 'boolean') { return cap.max ? 'Allowed on this server.' : 'Not allowed on this server (its cap is off).'; }
    const suffix = unit ? ` ${unit}` : '';
    return `This server's cap: at most ${number(shown(cap.max))}${suffix}${cap.min !== undefined ? `, at least ${number(shown(cap.min))}${suffix}` : ''}.`;
  }

  function limitField(name, cap) {
    const [label, unit] = limitNames[name] || [name, ''];
    const wrapper = document.createElement('div');
    const capId = `settings-cap-limits-${name}`;
    const errorId = `settings-error-limits-${name}`;
    const input = document.createElement('input');
    input.id = `settings-limits-${name}`;
    input.dataset.limit = name;
    input.setAttribute('aria-describedby', `${capId} ${errorId}`);
    const labelElement = document.createElement('label');
    if (typeof cap.max === 'boolean') {
      input.type = 'checkbox';
      labelElement.className = 'inline';
      labelElement.append(input, ` ${label}`);
      wrapper.append(labelElement);
    } else {
      input.type = 'number';
      input.inputMode = 'numeric';
      input.max = shown(cap.max);
      if (cap.min !== undefined) { input.min = shown(cap.min); }
      labelElement.htmlFor = input.id;
      labelElement.textContent = unit ? `${label} (${unit})` : label;
      wrapper.append(labelElement, input);
    }
    const capElement = document.createElement('p');
    capElement.id = capId;
    capElement.className = 'hint cap';
    capElement.textContent = capText(cap, unit);
    const error = document.createElement('p');
    error.id = errorId;
    error.className = 'field-error';
    wrapper.append(capElement, error);
    return wrapper;
  }

  function render() {
    $('settings-factors').replaceChildren(...caps.enabledFactors.map((factor) => {
      const label = document.createElement('label');
      label.className = 'inline';
      const box = document.createElement('input');
      box.type = 'checkbox';
      box.value = factor.type;
      box.id = `settings-factor-${factor.type}`;
      box.checked = loaded.enabledFactors.includes(factor.type);
      box.setAttribute('aria-describedby', 'settings-error-enabledFactors');
      label.append(box, ` ${factor.name} (${factor.type})`);
      return label;
    }));
    ['alwaysRequireMfa', 'honorStepUp', 'freshEnginePerLogin'].forEach((name) => { $(`settings-${name}`).checked = !!loaded[name]; });
    $('settings-failMode').value = loaded.failMode;
    $('settings-rememberBrowserDays').value = loaded.rememberBrowserDays;
    $('settings-rememberBrowserDays').min = caps.rememberBrowserDays.min;
    $('settings-rememberBrowserDays').max = caps.rememberBrowserDays.max;
    $('settings-cap-rememberBrowserDays').textContent = capText(caps.rememberBrowserDays, 'days');
    $('settings-limits').replaceChildren(...Object.entries(caps.limits).map(([name, cap]) => limitField(name, cap)));
    form.querySelectorAll('[data-limit]').forEach((input) => {
      const value = loaded.limits[input.dataset.limit];
      if (input.type === 'checkbox') { input.checked = !!value; } else { input.value = shown(value); }
    });
  }

  // Busy until the stored settings have filled the form (what is typed before then is replaced by them).
  async function load(message) {
    const ticket = ++latest;
    form.setAttribute('aria-busy', 'true');
    try {
      const [settings, capsResponse] = await Promise.all([consoleApi.call('GET', '/settings'), consoleApi.call('GET', '/settings/caps')]);
      if (ticket !== latest) { return; }
      if (settings.status !== 200 || capsResponse.status !== 200) {
        $('settings-status').textContent = `Not loaded: ${fields.problem(settings.status !== 200 ? settings : capsResponse)}`;
        return;
      }
      loaded = settings.body;
      caps = capsResponse.body;
      fields.clear(form);
      render();
      $('settings-status').textContent = message || '';
    } finally {
      if (ticket === latest) { form.removeAttribute('aria-busy'); }
    }
  }

  // The settings to send, or null when a number field holds no number (its error is then shown beside it).
  function collect() {
    const settings = JSON.parse(JSON.stringify(loaded));
    let complete = true;
    const whole = (input, errorId) => {
      const value = input.value.trim();
      if (!/^\d+$/.test(value)) {
        fields.show(errorId, 'A whole number is required.');
        complete = false;
        return null;
      }
      return Number(value);
    };
    settings.enabledFactors = [...$('settings-factors').querySelectorAll('input:checked')].map((box) => box.value);
    ['alwaysRequireMfa', 'honorStepUp', 'freshEnginePerLogin'].forEach((name) => { settings[name] = $(`settings-${name}`).checked; });
    settings.failMode = $('settings-failMode').value;
    settings.rememberBrowserDays = whole($('settings-rememberBrowserDays'), 'settings-error-rememberBrowserDays');
    form.querySelectorAll('[data-limit]').forEach((input) => {
      const name = input.dataset.limit;
      if (input.type === 'checkbox') { settings.limits[name] = input.checked; return; }
      const value = whole(input, `settings-error-limits-${name}`);
      settings.limits[name] = isDuration(loaded.limits[name]) && value !== null ? toSpan(value) : value;
    });
    return complete ? settings : null;
  }

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    fields.clear(form);
    const settings = collect();
    const focusInvalid = () => { const invalid = form.querySelector('[aria-invalid="true"]'); if (invalid) { invalid.focus(); } };
    if (!settings) {
      $('settings-status').textContent = 'Not saved: a field needs a number.';
      focusInvalid();
      return;
    }
    const response = await consoleApi.call('PUT', '/settings', settings);
    if (response.status === 200) {
      await load('Settings saved; logins use them from now on.');
      return;
    }
    const others = fields.showAll(response, (field) => `settings-error-${field.replace(/\./g, '-')}`);
    $('settings-status').textContent = `Not saved${others.length ? ': ' + others.join('; ') : response.status === 400 ? ': see the field marked above.' : ': ' + fields.problem(response)}`;
    focusInvalid();
  });
  $('settings-reload').addEventListener('click', () => load('Reloaded.'));

  window.RulesConsoleViews.onShow('settings-view', () => load());
}());
