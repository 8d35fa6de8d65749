// The sandbox console: a draft rule set, an input, and the decision the tenant's own pipeline gives.
// Every call goes to the admin API with the console header (the API's protection against cross-site requests).
'use strict';

(function () {
  const api = document.body.dataset.api;
  const $ = (id) => document.getElementById(id);
  const drafts = [];            // [{id, source, deployed: {version, tests} | null}]
  let selected = -1;
  let lastRun = null;           // {request, result}
  let errorLines = [];

  const editor = CodeMirror.fromTextArea($('rule-source'), {
    mode: 'javascript', lineNumbers: true, gutters: ['errors', 'CodeMirror-linenumbers'], indentUnit: 2,
  });
  editor.on('change', () => { if (selected >= 0) { drafts[selected].source = editor.getValue(); } });

  const templates = {
    'office login': { user: { user_id: 'auth0|office', email: 'judy@example.com', email_verified: true, app_metadata: { roles: ['admin'] }, user_metadata: {}, enrolledFactors: [{ type: 'otp' }] },
      context: { clientID: 'demo-web', clientName: 'demo-web', protocol: 'oidc-basic-profile', request: { ip: '10.1.2.3', userAgent: 'Mozilla/5.0', query: {}, geoip: { country_code: 'US' } }, authentication: { methods: [{ name: 'pwd', timestamp: 0 }] } } },
    'login from abroad': { user: { user_id: 'auth0|traveller', email: 'ann@example.com', email_verified: true, app_metadata: {}, user_metadata: {}, enrolledFactors: [] },
      context: { clientID: 'demo-web', clientName: 'demo-web', protocol: 'oidc-basic-profile', request: { ip: '198.51.100.7', userAgent: 'Mozilla/5.0', query: {}, geoip: { country_code: 'BR' } }, authentication: { methods: [{ name: 'pwd', timestamp: 0 }] } } },
    'step-up requested': { user: { user_id: 'auth0|stepup', email: 'bo@example.com', email_verified: true, app_metadata: {}, user_metadata: {}, enrolledFactors: [{ type: 'otp' }] },
      context: { clientID: 'demo-web', clientName: 'demo-web', protocol: 'oidc-basic-profile', request: { ip: '10.1.2.3', userAgent: 'Mozilla/5.0', query: { acr_values: 'http://schemas.openid.net/pape/policies/2007/06/multi-factor' } }, authentication: { methods: [{ name: 'pwd', timestamp: 0 }] } } },
  };

  async function call(method, path, body) {
    const response = await fetch(api + path, {
      method, credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', 'X-RulesMfa-Console': '1' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : null };
  }

  const pretty = (value) => JSON.stringify(value, null, 2);
  const text = (id, value) => { $(id).textContent = value; };

  function renderRuleList() {
    const list = $('rule-list');
    list.replaceChildren(...drafts.map((draft, index) => {
      const item = document.createElement('li');
      item.textContent = draft.id + (draft.deployed ? '' : ' (new)');
      item.dataset.rule = draft.id;
      item.className = index === selected ? 'selected' : '';
      item.addEventListener('click', () => select(index));
      return item;
    }));
  }

  function select(index) {
    selected = index;
    const draft = drafts[index];
    editor.setValue(draft ? draft.source : '');
    text('rule-id', draft ? draft.id : '');
    text('rule-version', draft && draft.deployed ? `deployed version ${draft.deployed.version}` : 'not saved yet');
    clearErrors();
    renderRuleList();
  }

  function clearErrors() {
    errorLines.forEach((line) => editor.removeLineClass(line, 'background', 'cm-error-line'));
    errorLines = [];
    editor.clearGutter('errors');
    $('errors').replaceChildren();
  }

  function showErrors(errors) {
    clearErrors();
    $('errors').replaceChildren(...errors.map((error) => {
      const item = document.createElement('li');
      item.textContent = (error.line ? `${error.line}:${error.column}: ` : '') + `${error.field}: ${error.message}`;
      return item;
    }));
    errors.filter((error) => error.line).forEach((error) => markLine(error.line, error.message));
  }

  function markLine(line, message) {
    const index = line - 1;
    editor.addLineClass(index, 'background', 'cm-error-line');
    errorLines.push(index);
    const marker = document.createElement('span');
    marker.className = 'error-marker';
    marker.title = message;
    marker.textContent = '●';
    editor.setGutterMarker(index, 'errors', marker);
  }

  async function loadDeployed() {
    const rules = await call('GET', '/rules');
    drafts.length = 0;
    for (const summary of rules.body) {
      const rule = (await call('GET', `/rules/${encodeURIComponent(summary.id)}`)).body;
      drafts.push({ id: rule.id, source: rule.source, enabled: rule.enabled, deployed: { version: rule.version, tests: rule.tests } });
    }
    select(drafts.length > 0 ? 0 : -1);
  }

  async function loadUsers() {
    const users = (await call('GET', '/users')).body;
    $('user-select').replaceChildren(...users.map((user) => {
      const option = document.createElement('option');
      option.value = user.id;
      option.textContent = user.email;
      return option;
    }));
  }

  function runRequest() {
    const now = $('now').value.trim() || null;
    const rules = drafts.filter((draft) => draft.enabled !== false).map((draft) => ({ id: draft.id, source: draft.source }));
    if ($('input-mode').value === 'template') {
      return { rules, input: JSON.parse($('input-json').value), now };
    }
    return {
      rules, now,
      login: { userId: $('user-select').value, ip: $('ip').value.trim(), clientId: $('client-id').value.trim(),
        userAgent: $('user-agent').value, acrValues: $('acr-values').value.trim() || null },
    };
  }

  async function run() {
    let request;
    try {
      request = runRequest();
    } catch (invalid) {
      showErrors([{ field: 'input', message: invalid.message }]);
      return;
    }
    const response = await call('POST', '/console/evaluate', request);
    if (response.status !== 200) {
      const errors = (response.body && response.body.errors) || [{ field: 'request', message: response.body ? response.body.detail : `HTTP ${response.status}` }];
      const compile = errors.find((error) => error.line && /^rules\[\d+\]/.test(error.field));
      if (compile) {
        const index = Number(/^rules\[(\d+)\]/.exec(compile.field)[1]);
        select(drafts.indexOf(drafts.filter((draft) => draft.enabled !== false)[index]));
      }
      showErrors(errors);
      $('save-test').disabled = true;
      return;
    }
    clearErrors();
    lastRun = { request, result: response.body };
    showResult(response.body);
    $('save-test').disabled = selected < 0;
  }

  function showResult(result) {
    const decision = result.decision;
    text('outcome', decision.outcome);
    text('mfa-request', decision.multifactor ? JSON.stringify(decision.multifactor) : 'none');
    const thenEnroll = result.plan.thenEnroll.length ? ', then enroll ' + result.plan.thenEnroll.join(', ') : '';
    text('plan', `${result.plan.kind}${result.plan.factors.length ? ' with ' + result.plan.factors.join(', ') : ''}${thenEnroll} (${result.plan.reason})`);
    text('decision-error', decision.error ? `${decision.error.code}: ${decision.error.description}` : 'none');
    $('trace').tBodies[0].replaceChildren(...decision.rules.map((rule) => {
      const row = document.createElement('tr');
      row.dataset.rule = rule.id;
      [rule.id, rule.kind, rule.status + (rule.limit ? ` (${rule.limit})` : ''), rule.durationMs.toFixed(3), rule.versionHash.slice(0, 19)]
        .forEach((value) => { const cell = document.createElement('td'); cell.textContent = value; row.append(cell); });
      return row;
    }));
    text('claims', pretty({ idToken: decision.idTokenClaims, accessToken: decision.accessTokenClaims }));
    text('metadata', pretty({ app_metadata: decision.appMetadata, user_metadata: decision.userMetadata }));
    $('logs').replaceChildren(...decision.logs.map((log) => {
      const item = document.createElement('li');
      item.textContent = `[${log.rule}] ${log.level}: ${log.message}`;
      return item;
    }));
    const draft = drafts[selected];
    decision.logs.filter((log) => draft && log.rule === draft.id).forEach((log) => {
      const at = /\(at (\d+):(\d+)\)/.exec(log.message);
      if (at) { markLine(Number(at[1]), log.message); }
    });
  }

  function testCaseOfLastRun(name) {
    const decision = lastRun.result.decision;
    const expect = { outcome: decision.outcome, multifactor: decision.multifactor, error: decision.error,
      idTokenClaims: decision.idTokenClaims, accessTokenClaims: decision.accessTokenClaims };
    const testCase = { name, user: lastRun.result.input.user, context: lastRun.result.input.context, expect };
    if (lastRun.request.now) { testCase.now = lastRun.request.now; }
    return testCase;
  }

  async function saveRule(tests) {
    const draft = drafts[selected];
    const body = { source: draft.source, force: $('force').checked };
    if (tests !== undefined) { body.tests = tests; }
    const response = await call('PUT', `/rules/${encodeURIComponent(draft.id)}`, body);
    if (response.status === 200) {
      draft.deployed = { version: response.body.rule.version, tests: response.body.rule.tests };
      text('rule-version', `deployed version ${draft.deployed.version}`);
      clearErrors();
      renderRuleList();
    } else if (response.body && response.body.errors) {
      showErrors(response.body.errors);
    }
    return response;
  }

  function describeSave(response) {
    if (response.status === 200) {
      const tests = response.body.tests;
      return { good: true, message: `Saved ${response.body.rule.id} as version ${response.body.rule.version}; ${tests.cases} test cases, ${tests.failed} failed.` };
    }
    if (response.status === 422) {
      const failures = response.body.tests.results.filter((result) => !result.passed).map((result) => `${result.name}: ${result.differences.join('; ')}`);
      return { good: false, message: `Not saved: ${response.body.detail} ${failures.join(' | ')}` };
    }
    return { good: false, message: `Not saved: ${response.body ? response.body.detail : 'HTTP ' + response.status}` };
  }

  function show(id, outcome) {
    $(id).textContent = outcome.message;
    $(id).className = outcome.good ? 'good' : 'bad';
  }

  $('run').addEventListener('click', run);
  $('load-deployed').addEventListener('click', loadDeployed);
  $('new-rule').addEventListener('click', () => {
    const id = $('new-rule-id').value.trim();
    if (!id) { return; }
    drafts.push({ id, source: 'function (user, context, callback) {\n  callback(null, user, context);\n}\n', enabled: true, deployed: null });
    $('new-rule-id').value = '';
    select(drafts.length - 1);
  });
  $('save-rule').addEventListener('click', async () => { if (selected >= 0) { show('save-result', describeSave(await saveRule())); } });
  $('run-tests').addEventListener('click', async () => {
    const draft = drafts[selected];
    if (!draft || !draft.deployed) { show('save-result', { good: false, message: 'Save the rule first: its test cases run on the saved version.' }); return; }
    const response = await call('POST', `/rules/${encodeURIComponent(draft.id)}/tests/run`);
    const report = response.body;
    show('save-result', { good: report.failed === 0, message: `${report.cases} test cases, ${report.failed} failed.` +
      report.results.filter((result) => !result.passed).map((result) => ` ${result.name}: ${result.differences.join('; ')}`).join('') });
  });
  $('save-test').addEventListener('click', async () => {
    const draft = drafts[selected];
    const name = $('test-name').value.trim() || `case ${new Date().toISOString()}`;
    const tests = (draft.deployed && draft.deployed.tests) ? JSON.parse(JSON.stringify(draft.deployed.tests)) : { cases: [] };
    tests.cases = (tests.cases || []).concat([testCaseOfLastRun(name)]);
    const response = await saveRule(tests);
    const outcome = describeSave(response);
    show('test-result', response.status === 200 ? { good: true, message: `Test case "${name}" saved with ${draft.id}. ${outcome.message}` } : outcome);
  });
  $('input-mode').addEventListener('change', () => {
    const template = $('input-mode').value === 'template';
    $('template-input').hidden = !template;
    $('user-input').hidden = template;
  });
  $('template-select').replaceChildren(...Object.keys(templates).map((name) => {
    const option = document.createElement('option');
    option.value = name;
    option.textContent = name;
    return option;
  }));
  $('template-select').addEventListener('change', () => { $('input-json').value = pretty(templates[$('template-select').value]); });
  $('input-json').value = pretty(templates['office login']);

  loadDeployed();
  loadUsers();
}());
