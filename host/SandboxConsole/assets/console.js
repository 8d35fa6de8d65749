// The sandbox console: the admin's draft rule set (kept on the server), an input, and the decision the tenant's own
// pipeline gives. Deploying the draft is its own confirmed step. Every call goes to the admin API with the console header
// (the API's protection against cross-site requests).
'use strict';

window.RulesConsole = (function () {
  const api = document.body.dataset.api;
  const $ = (id) => document.getElementById(id);
  let drafts = [];              // [{id, source, tests, enabled, baseVersion}] in login order
  let deployed = new Map();     // id -> the deployed rule, in the same shape
  let selected = -1;
  let lastRun = null;           // {request, result}
  let errorLines = [];
  let saveTimer = null;
  const saving = new Set();     // the saves on their way (they overlap when one takes longer than the wait before the next): a discard waits for each (landing after it, one would bring the draft back)
  let unsaved = false;          // edits not yet stored on the server
  let edits = 0;               // edits made in this page, so that a save knows whether more came while it was sent
  let draftSaved = false;       // the server holds a draft of ours
  let draftTime = null;
  let editingCase = -1;
  let replaying = null;         // a recorded login whose input the next runs use (console-log.js)

  const plural = (count, one, many) => `${count} ${count === 1 ? one : (many || one + 's')}`;

  async function call(method, path, body) {
    const response = await fetch(api + path, {
      method, credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', 'X-RulesMfa-Console': '1' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    let parsed = null;
    try { parsed = text ? JSON.parse(text) : null; } catch (ignored) { parsed = { detail: text }; }
    if (response.status === 401) {
      $('session').replaceChildren('Your session has expired. ', link(document.body.dataset.signIn, 'Sign in again'),
        ' (your draft is kept on the server up to the last change that was saved).');
    }
    return { status: response.status, body: parsed, headers: response.headers };
  }

  function link(href, label) {
    const anchor = document.createElement('a');
    anchor.href = href;
    anchor.textContent = label;
    return anchor;
  }

  const pretty = (value) => JSON.stringify(value, null, 2);
  const text = (id, value) => { $(id).textContent = value; };
  const cell = (row, value) => { const td = document.createElement('td'); td.append(value); row.append(td); return td; };
  const button = (label, onClick, className) => {
    const element = document.createElement('button');
    element.type = 'button';
    element.textContent = label;
    if (className) { element.className = className; }
    element.addEventListener('click', onClick);
    return element;
  };

  // --- The editor: Esc then Tab leaves it, as CodeMirror documents for keyboard users; Tab alone indents.
  let releaseTab = false;
  const editor = CodeMirror.fromTextArea($('rule-source'), {
    mode: 'javascript', lineNumbers: true, gutters: ['errors', 'CodeMirror-linenumbers'], indentUnit: 2,
    extraKeys: {
      Esc: () => { releaseTab = true; },
      Tab: (cm) => cm.execCommand('indentMore'),
      'Shift-Tab': (cm) => cm.execCommand('indentLess'),
    },
  });
  // A released Tab must reach the browser untouched: returning CodeMirror.Pass from a key binding would only fall through
  // to the default keymap, which indents too; an ignored event is left to the browser, which moves the focus.
  editor.on('keydown', (cm, event) => {
    if (event.key === 'Tab' && releaseTab) {
      event.codemirrorIgnore = true;
    } else if (event.key !== 'Escape' && event.key !== 'Shift') {
      releaseTab = false;
    }
  });
  editor.on('blur', () => { releaseTab = false; });
  editor.getInputField().setAttribute('aria-labelledby', 'rule-source-label');
  editor.getInputField().setAttribute('aria-describedby', 'syntax-status errors');
  editor.on('change', (cm, change) => {
    if (selected >= 0 && change.origin !== 'setValue') {
      drafts[selected].source = editor.getValue();
      changed();
      if (window.RulesConsoleCheck) { window.RulesConsoleCheck.schedule(drafts[selected]); }
    }
  });

  // --- The draft, kept on the server.
  function stateOf(draft) {
    const live = deployed.get(draft.id);
    if (!live) { return 'new'; }
    const states = [];
    if (live.source !== draft.source || JSON.stringify(live.tests || null) !== JSON.stringify(draft.tests || null)) { states.push('changed'); }
    if (draft.enabled === false) { states.push('disabled'); }
    return states.join(', ');
  }

  function differs(draft) {
    const live = deployed.get(draft.id);
    return !live || live.source !== draft.source || JSON.stringify(live.tests || null) !== JSON.stringify(draft.tests || null)
      || (live.enabled !== false) !== (draft.enabled !== false);
  }

  function pendingChanges() {
    const ids = new Set(drafts.map((draft) => draft.id));
    const deletedCount = [...deployed.keys()].filter((id) => !ids.has(id)).length;
    const liveOrder = [...deployed.keys()].filter((id) => ids.has(id));
    const draftOrder = drafts.map((draft) => draft.id).filter((id) => deployed.has(id));
    return drafts.filter(differs).length + deletedCount + (liveOrder.join('\n') !== draftOrder.join('\n') ? 1 : 0);
  }

  function showDraftStatus(message) {
    const count = pendingChanges();
    const saved = unsaved ? 'saving…' : draftSaved ? `saved ${draftTime ? new Date(draftTime).toLocaleTimeString() : ''}` : 'nothing changed yet';
    text('draft-status', message || `Draft ${saved} · ${count === 0 ? 'same as the deployed rules' : plural(count, 'change') + ' not deployed'}`);
    $('deploy').disabled = count === 0 || unsaved;
    $('discard').disabled = !draftSaved && !unsaved;
  }

  function changed() {
    edits += 1;
    unsaved = true;
    showDraftStatus();
    renderRuleList();
    clearTimeout(saveTimer);
    saveTimer = setTimeout(saveDraft, 600);
  }

  async function saveDraft() {
    clearTimeout(saveTimer);
    const sent = edits;
    const save = call('PUT', '/console/draft', { rules: drafts });
    saving.add(save);
    let response;
    try { response = await save; } finally { saving.delete(save); }
    if (response.status === 200) {
      // An edit made while this save was on its way is not in it: still unsaved, and saved next.
      unsaved = edits !== sent;
      if (unsaved) { saveTimer = setTimeout(saveDraft, 600); }
      draftSaved = true;
      draftTime = response.body.updatedAt;
      showDraftStatus();
    } else {
      showDraftStatus(`Draft not saved: ${response.body ? response.body.detail : 'HTTP ' + response.status}`);
    }
    return response;
  }

  async function loadDraft(keepSelection) {
    const response = await call('GET', '/console/draft');
    if (response.status !== 200) { showDraftStatus(`Could not load the draft: ${response.body ? response.body.detail : response.status}`); return; }
    const selectedId = keepSelection && drafts[selected] ? drafts[selected].id : null;
    drafts = response.body.rules;
    deployed = new Map(response.body.deployed.map((rule) => [rule.id, rule]));
    draftSaved = response.body.saved;
    draftTime = response.body.updatedAt;
    unsaved = false;
    const index = drafts.findIndex((draft) => draft.id === selectedId);
    select(index >= 0 ? index : (drafts.length > 0 ? 0 : -1));
    showDraftStatus();
  }

  function renderRuleList() {
    $('rule-list').replaceChildren(...drafts.map((draft, index) => {
      const item = document.createElement('li');
      const choose = button(draft.id, () => select(index));
      choose.dataset.rule = draft.id;
      if (index === selected) { choose.setAttribute('aria-current', 'true'); }
      const state = stateOf(draft);
      if (state) {
        const badge = document.createElement('span');
        badge.className = 'badge';
        badge.textContent = state;
        choose.append(' ', badge);
      }
      if (draft.enabled === false) { choose.classList.add('disabled'); }
      item.append(choose);
      return item;
    }));
    const ids = new Set(drafts.map((draft) => draft.id));
    const deleted = [...deployed.keys()].filter((id) => !ids.has(id));
    deleted.forEach((id) => {
      const item = document.createElement('li');
      item.className = 'deleted';
      item.append(`${id} (deleted in the draft) `, button(`Restore ${id}`, () => {
        drafts.push({ ...deployed.get(id) });
        select(drafts.length - 1);
        changed();
      }, 'link'));
      $('rule-list').append(item);
    });
  }

  function select(index) {
    selected = index;
    const draft = drafts[index];
    editor.setValue(draft ? draft.source : '');
    editor.setOption('readOnly', !draft);
    text('rule-id', draft ? draft.id : '(none)');
    const live = draft && deployed.get(draft.id);
    text('rule-version', draft ? (live ? `deployed version ${live.baseVersion}` : 'new in the draft') : '');
    $('toggle-enabled').textContent = draft && draft.enabled === false ? 'Enable' : 'Disable';
    ['move-up', 'move-down', 'toggle-enabled', 'delete-rule', 'run-tests'].forEach((id) => { $(id).disabled = !draft; });
    $('move-up').disabled = !draft || index === 0;
    $('move-down').disabled = !draft || index === drafts.length - 1;
    clearErrors();
    closeCaseEditor();
    renderTestCases();
    $('test-failures').hidden = true;
    text('tests-summary', '');
    renderRuleList();
    $('save-test').disabled = !lastRun || !draft;
    if (draft && window.RulesConsoleCheck) { window.RulesConsoleCheck.schedule(draft); }
  }

  function move(offset) {
    const to = selected + offset;
    if (selected < 0 || to < 0 || to >= drafts.length) { return; }
    [drafts[selected], drafts[to]] = [drafts[to], drafts[selected]];
    select(to);
    changed();
    $(offset < 0 ? (to === 0 ? 'move-down' : 'move-up') : (to === drafts.length - 1 ? 'move-up' : 'move-down')).focus();
  }

  // --- Errors: a rule's beside the editor (with its line marked), an input's beside that input.
  const fieldInputs = { input: 'input-json', now: 'now', 'login.ip': 'ip', 'login.userId': 'user-select', 'login.clientId': 'client-id' };

  function clearErrors() {
    errorLines.forEach((line) => editor.removeLineClass(line, 'background', 'cm-error-line'));
    errorLines = [];
    editor.clearGutter('errors');
    $('errors').replaceChildren();
    Object.values(fieldInputs).forEach((id) => { $(id).removeAttribute('aria-invalid'); text(`${id}-error`, ''); });
    text('run-error', '');
  }

  function showErrors(errors) {
    clearErrors();
    const ruleErrors = [];
    errors.forEach((error) => {
      const input = fieldInputs[error.field] || (error.field && fieldInputs[error.field.split('.')[0]]);
      if (input) {
        $(input).setAttribute('aria-invalid', 'true');
        text(`${input}-error`, error.message);
      } else if (/^rules\[\d+\]|^source|^tests/.test(error.field || '')) {
        ruleErrors.push(error);
      } else {
        $('run-error').textContent = `${error.field ? error.field + ': ' : ''}${error.message}`;
      }
    });
    $('errors').replaceChildren(...ruleErrors.map((error) => {
      const item = document.createElement('li');
      item.textContent = (error.line ? `${error.line}:${error.column}: ` : '') + error.message;
      return item;
    }));
    ruleErrors.filter((error) => error.line).forEach((error) => markLine(error.line, error.message));
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

  // --- Test cases of the selected rule: view, edit, delete; run on the draft's source.
  function casesOf(draft) { return (draft && draft.tests && draft.tests.cases) || []; }

  function renderTestCases() {
    const draft = drafts[selected];
    const cases = casesOf(draft);
    $('test-cases').tBodies[0].replaceChildren(...cases.map((testCase, index) => {
      const row = document.createElement('tr');
      cell(row, testCase.name || `case ${index + 1}`);
      cell(row, testCase.expect && testCase.expect.outcome ? testCase.expect.outcome : JSON.stringify(testCase.expect || {}));
      const actions = cell(row, '');
      actions.append(
        button('Edit', () => openCaseEditor(index), 'link'),
        ' ',
        button('Delete', () => {
          if (!window.confirm(`Delete the test case "${testCase.name}" from the draft of ${draft.id}?`)) { return; }
          draft.tests.cases.splice(index, 1);
          renderTestCases();
          changed();
        }, 'link'));
      actions.querySelectorAll('button').forEach((element) => element.setAttribute('aria-label', `${element.textContent} ${testCase.name}`));
      return row;
    }));
    if (cases.length === 0) {
      const row = document.createElement('tr');
      cell(row, 'No test case yet: run an input and add it below.').colSpan = 3;
      $('test-cases').tBodies[0].append(row);
    }
  }

  function openCaseEditor(index) {
    editingCase = index;
    const testCase = casesOf(drafts[selected])[index];
    text('test-case-name', testCase.name || '');
    $('test-case-json').value = pretty(testCase);
    text('test-case-error', '');
    $('test-case-editor').hidden = false;
    $('test-case-json').focus();
  }

  function closeCaseEditor() {
    editingCase = -1;
    $('test-case-editor').hidden = true;
  }

  $('test-case-save').addEventListener('click', () => {
    let testCase;
    try {
      testCase = JSON.parse($('test-case-json').value);
      if (typeof testCase !== 'object' || testCase === null || Array.isArray(testCase)) { throw new Error('a test case is a JSON object'); }
    } catch (invalid) {
      $('test-case-json').setAttribute('aria-invalid', 'true');
      text('test-case-error', `Not kept: ${invalid.message}`);
      return;
    }
    $('test-case-json').removeAttribute('aria-invalid');
    drafts[selected].tests.cases[editingCase] = testCase;
    closeCaseEditor();
    renderTestCases();
    changed();
  });
  $('test-case-close').addEventListener('click', closeCaseEditor);

  $('run-tests').addEventListener('click', async () => {
    const draft = drafts[selected];
    const response = await call('POST', '/console/tests/run', draft);
    const failures = $('test-failures');
    if (response.status !== 200) {
      failures.hidden = true;
      if (response.body && response.body.errors) { showErrors(response.body.errors); }
      text('tests-summary', `Not run: ${response.body ? response.body.detail : 'HTTP ' + response.status}`);
      return;
    }
    const report = response.body;
    text('tests-summary', `${plural(report.cases, 'test case')} on the draft of ${draft.id}, ${report.failed} failed.`);
    $('tests-summary').className = report.failed === 0 ? 'good' : 'bad';
    failures.tBodies[0].replaceChildren(...report.results.filter((result) => !result.passed).map((result) => {
      const row = document.createElement('tr');
      cell(row, result.name);
      const list = document.createElement('ul');
      list.append(...result.differences.map((difference) => { const item = document.createElement('li'); item.textContent = difference; return item; }));
      cell(row, list);
      return row;
    }));
    failures.hidden = report.failed === 0;
  });

  // --- A run: the draft (or one rule of it) on an input.
  const templates = {
    'office login': { user: { user_id: 'auth0|office', email: 'judy@example.com', email_verified: true, app_metadata: { roles: ['admin'] }, user_metadata: {}, enrolledFactors: [{ type: 'otp' }] },
      context: { clientID: 'demo-web', clientName: 'demo-web', protocol: 'oidc-basic-profile', request: { ip: '10.1.2.3', userAgent: 'Mozilla/5.0', query: {}, geoip: { country_code: 'US' } }, authentication: { methods: [{ name: 'pwd', timestamp: 0 }] } } },
    'login from abroad': { user: { user_id: 'auth0|traveller', email: 'ann@example.com', email_verified: true, app_metadata: {}, user_metadata: {}, enrolledFactors: [] },
      context: { clientID: 'demo-web', clientName: 'demo-web', protocol: 'oidc-basic-profile', request: { ip: '198.51.100.7', userAgent: 'Mozilla/5.0', query: {}, geoip: { country_code: 'BR' } }, authentication: { methods: [{ name: 'pwd', timestamp: 0 }] } } },
    'step-up requested': { user: { user_id: 'auth0|stepup', email: 'bo@example.com', email_verified: true, app_metadata: {}, user_metadata: {}, enrolledFactors: [{ type: 'otp' }] },
      context: { clientID: 'demo-web', clientName: 'demo-web', protocol: 'oidc-basic-profile', request: { ip: '10.1.2.3', userAgent: 'Mozilla/5.0', query: { acr_values: 'http://schemas.openid.net/pape/policies/2007/06/multi-factor' } }, authentication: { methods: [{ name: 'pwd', timestamp: 0 }] } } },
  };

  async function loadUsers() {
    const response = await call('GET', '/users');
    if (response.status !== 200) { return; }
    $('user-select').replaceChildren(...response.body.map((user) => {
      const option = document.createElement('option');
      option.value = user.id;
      option.textContent = user.email;
      return option;
    }));
  }

  function runRequest(onlySelected) {
    const now = $('now').value.trim() || null;
    const chosen = onlySelected ? [drafts[selected]] : drafts.filter((draft) => draft.enabled !== false);
    const rules = chosen.map((draft) => ({ id: draft.id, source: draft.source }));
    if (replaying) {
      return { rules, replay: replaying.id, now };
    }
    if ($('input-mode').value === 'template') {
      try {
        return { rules, input: JSON.parse($('input-json').value), now };
      } catch (invalid) {
        throw { field: 'input', message: `not JSON: ${invalid.message}` };
      }
    }
    return {
      rules, now,
      login: { userId: $('user-select').value, ip: $('ip').value.trim(), clientId: $('client-id').value.trim(),
        userAgent: $('user-agent').value, acrValues: $('acr-values').value.trim() || null },
    };
  }

  function clearResult() {
    ['outcome', 'mfa-request', 'plan', 'decision-error'].forEach((id) => text(id, '—'));
    $('trace').tBodies[0].replaceChildren();
    ['claims', 'metadata'].forEach((id) => text(id, ''));
    $('logs').replaceChildren();
    lastRun = null;
    $('save-test').disabled = true;
    document.dispatchEvent(new CustomEvent('rules-console:result', { detail: null }));
  }

  async function run(onlySelected) {
    clearResult();
    clearErrors();
    let request;
    try {
      request = runRequest(onlySelected);
    } catch (invalid) {
      showErrors([invalid]);
      return;
    }
    const response = await call('POST', '/console/evaluate', request);
    if (response.status !== 200) {
      const errors = (response.body && response.body.errors) || [{ field: 'request', message: response.body ? response.body.detail : `HTTP ${response.status}` }];
      const compile = errors.find((error) => error.line && /^rules\[\d+\]/.test(error.field));
      if (compile) {
        const index = Number(/^rules\[(\d+)\]/.exec(compile.field)[1]);
        const id = request.rules[index].id;
        select(drafts.findIndex((draft) => draft.id === id));
      }
      showErrors(errors);
      return;
    }
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
      [rule.id, rule.kind, rule.status + (rule.limit ? ` (${rule.limit})` : ''), rule.durationMs.toFixed(3), rule.versionHash.slice(0, 19)].forEach((value) => cell(row, value));
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
    document.dispatchEvent(new CustomEvent('rules-console:result', { detail: result }));
  }

  function testCaseOfLastRun(name) {
    const decision = lastRun.result.decision;
    const expect = { outcome: decision.outcome, multifactor: decision.multifactor, error: decision.error,
      idTokenClaims: decision.idTokenClaims, accessTokenClaims: decision.accessTokenClaims };
    const testCase = { name, user: lastRun.result.input.user, context: lastRun.result.input.context, expect };
    if (lastRun.request.now) { testCase.now = lastRun.request.now; }
    return testCase;
  }

  // --- Deploy: the preview (diff and test results), then a confirmation.
  async function openDeploy() {
    if (unsaved) { await saveDraft(); }
    const response = await call('POST', '/console/draft/preview');
    if (response.status !== 200) { showDraftStatus(`Cannot preview the deploy: ${response.body ? response.body.detail : response.status}`); return; }
    const preview = response.body;
    text('deploy-summary', `${plural(preview.changes.length, 'change')} to the deployed rules; ${plural(preview.unchanged, 'rule')} unchanged.` +
      (preview.testsPass ? ' Every test case of the changed rules passes.' : ' Some test cases fail (below).'));
    $('deploy-changes').replaceChildren(...preview.changes.map(renderChange));
    $('deploy-force').checked = false;
    $('deploy-force').parentElement.hidden = preview.testsPass;
    $('deploy-confirm').disabled = !preview.valid;
    text('deploy-error', preview.valid ? '' : 'A rule of the draft is not valid (below): fix it first.');
    $('deploy-dialog').showModal();
    $('deploy-cancel').focus();
  }

  function renderChange(change) {
    const section = document.createElement('section');
    section.className = 'change';
    const heading = document.createElement('h3');
    heading.textContent = `${change.id}: ${change.changes.join(', ')}`;
    section.append(heading);
    if (change.changedSince) { const note = document.createElement('p'); note.className = 'bad'; note.textContent = change.changedSince; section.append(note); }
    if (change.diff) { const diff = document.createElement('pre'); diff.className = 'diff'; diff.textContent = change.diff; section.append(diff); }
    change.errors.forEach((error) => {
      const note = document.createElement('p');
      note.className = 'bad';
      note.textContent = (error.line ? `${error.line}:${error.column}: ` : '') + error.message;
      section.append(note);
    });
    if (change.tests) {
      const summary = document.createElement('p');
      summary.className = change.tests.failed === 0 ? 'good' : 'bad';
      summary.textContent = `${plural(change.tests.cases, 'test case')}, ${change.tests.failed} failed.`;
      section.append(summary);
      const failed = change.tests.results.filter((result) => !result.passed);
      if (failed.length) {
        const table = document.createElement('table');
        table.innerHTML = '<thead><tr><th scope="col">Failed case</th><th scope="col">Differences</th></tr></thead><tbody></tbody>';
        failed.forEach((result) => { const row = document.createElement('tr'); cell(row, result.name); cell(row, result.differences.join('; ')); table.tBodies[0].append(row); });
        section.append(table);
      }
    }
    return section;
  }

  async function confirmDeploy() {
    const response = await call('POST', '/console/draft/deploy', { confirm: true, force: $('deploy-force').checked });
    if (response.status !== 200) {
      text('deploy-error', `Nothing was deployed. ${response.body ? response.body.detail : 'HTTP ' + response.status}`);
      return;
    }
    $('deploy-dialog').close();
    await loadDraft(true);
    showDraftStatus(`Deployed: ${response.body.changed.join(', ')}. The draft now equals the deployed rules.`);
  }

  // --- Wiring.
  $('run').addEventListener('click', () => run(false));
  $('run-one').addEventListener('click', () => run(true));
  // The real user's input as the rules receive it, as JSON to change any field of: the user stays (with their factors).
  $('edit-input').addEventListener('click', async () => {
    await run(false);
    if (!lastRun) { return; }
    $('input-mode').value = 'template';
    $('input-mode').dispatchEvent(new Event('change'));
    $('input-json').value = pretty(lastRun.result.input);
    $('input-json').focus();
  });
  $('deploy').addEventListener('click', openDeploy);
  $('deploy-confirm').addEventListener('click', confirmDeploy);
  $('deploy-cancel').addEventListener('click', () => $('deploy-dialog').close());
  $('discard').addEventListener('click', async () => {
    if (!window.confirm(`Discard your draft? ${plural(pendingChanges(), 'change')} not deployed will be lost.`)) { return; }
    clearTimeout(saveTimer);
    await Promise.allSettled([...saving]); // every one, not only the newest; one that failed does not stop the discard
    clearTimeout(saveTimer); // a save may have asked for another, for edits made while it was on its way
    await call('DELETE', '/console/draft');
    await loadDraft(false);
  });
  $('move-up').addEventListener('click', () => move(-1));
  $('move-down').addEventListener('click', () => move(1));
  $('toggle-enabled').addEventListener('click', () => {
    const draft = drafts[selected];
    draft.enabled = draft.enabled === false;
    select(selected);
    changed();
    $('toggle-enabled').focus();
  });
  $('delete-rule').addEventListener('click', () => {
    const draft = drafts[selected];
    if (!window.confirm(`Delete ${draft.id} from the draft? Deploying removes it from the deployed rules (its versions are kept).`)) { return; }
    drafts.splice(selected, 1);
    select(Math.min(selected, drafts.length - 1));
    changed();
  });
  $('new-rule').addEventListener('click', () => {
    const id = $('new-rule-id').value.trim();
    const problem = !/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(id) ? 'Use 1 to 64 letters, digits, ".", "_" and "-", starting with a letter or digit.'
      : drafts.some((draft) => draft.id === id) ? `The draft already has a rule ${id}.` : '';
    text('new-rule-error', problem);
    if (problem) { $('new-rule-id').setAttribute('aria-invalid', 'true'); return; }
    $('new-rule-id').removeAttribute('aria-invalid');
    drafts.push({ id, source: 'function (user, context, callback) {\n  callback(null, user, context);\n}\n', tests: { cases: [] }, enabled: true, baseVersion: null });
    $('new-rule-id').value = '';
    select(drafts.length - 1);
    changed();
  });
  $('save-test').addEventListener('click', () => {
    const draft = drafts[selected];
    const name = $('test-name').value.trim() || `case ${new Date().toISOString()}`;
    draft.tests = draft.tests || { cases: [] };
    draft.tests.cases = (draft.tests.cases || []).concat([testCaseOfLastRun(name)]);
    renderTestCases();
    changed();
    $('test-result').className = 'good';
    text('test-result', `Test case "${name}" added to the draft of ${draft.id}; deploy to keep it.`);
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
  // Leaving with edits not yet stored, or with changes not deployed, asks first (the draft itself stays on the server).
  window.addEventListener('beforeunload', (event) => {
    if (unsaved) { saveDraft(); }
    if (unsaved || pendingChanges() > 0) {
      event.preventDefault();
      event.returnValue = '';
    }
  });

  loadDraft(false);
  loadUsers();

  return {
    call, select, run, showErrors, clearResult, pretty, plural, button, cell, editor,
    get drafts() { return drafts; },
    get selected() { return selected; },
    get lastRun() { return lastRun; },
    setReplay(login) { replaying = login; },
    setInput(input) { $('input-mode').value = 'template'; $('input-mode').dispatchEvent(new Event('change')); $('input-json').value = pretty(input); },
    reloadDraft: () => loadDraft(true),
  };
}());
