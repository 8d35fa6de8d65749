// Versions of a deployed rule: the history (version, who, when, hash), a diff of any version with the deployed one or with
// the admin's draft, and a rollback confirmed in a dialog that shows what will change; the new version then tops the list.
'use strict';

(function () {
  const consoleApi = window.RulesConsole;
  const views = window.RulesConsoleViews;
  const $ = (id) => document.getElementById(id);
  let deployed = null;    // the chosen rule as deployed: {id, version, versionHash}
  let rollingBack = null; // the version the dialog offers to restore
  let highlight = null;   // the version to mark after a rollback
  let latest = 0;         // the newest history asked for: the view's first (the draft's rule) may answer after the rule chosen since

  const when = (iso) => iso.replace('T', ' ').slice(0, 19);
  const shortHash = (hash) => (hash || '').slice(0, 19);
  const problem = (response) => (response.body && response.body.detail) || `HTTP ${response.status}`;

  async function loadRules() {
    const response = await consoleApi.call('GET', '/rules');
    const select = $('versions-rule');
    if (response.status !== 200) {
      $('versions-rule-error').textContent = `Rules not loaded: ${problem(response)}`;
      return;
    }
    const chosen = select.value || (consoleApi.drafts[consoleApi.selected] || {}).id;
    select.replaceChildren(...response.body.map((rule) => {
      const option = document.createElement('option');
      option.value = rule.id;
      option.textContent = `${rule.id} (version ${rule.version}${rule.enabled ? '' : ', disabled'})`;
      return option;
    }));
    if (response.body.some((rule) => rule.id === chosen)) { select.value = chosen; }
    $('versions-rule-error').textContent = response.body.length ? '' : 'No rule is deployed yet: deploy one from the console first.';
    await loadVersions();
  }

  async function loadVersions() {
    const id = $('versions-rule').value;
    $('versions-diff').hidden = true;
    const body = $('versions-table').tBodies[0];
    const ticket = ++latest;
    if (!id) { body.replaceChildren(); deployed = null; return; }
    const [rule, versions] = await Promise.all([consoleApi.call('GET', `/rules/${encodeURIComponent(id)}`), consoleApi.call('GET', `/rules/${encodeURIComponent(id)}/versions`)]);
    if (ticket !== latest) { return; }
    if (rule.status !== 200 || versions.status !== 200) {
      body.replaceChildren();
      $('versions-status').textContent = `Versions not loaded: ${problem(rule.status !== 200 ? rule : versions)}`;
      return;
    }
    deployed = { id, version: rule.body.version, versionHash: rule.body.versionHash };
    $('versions-status').textContent = `${consoleApi.plural(versions.body.length, 'version')} of ${id}; version ${deployed.version} is deployed.`;
    body.replaceChildren(...versions.body.map(row));
  }

  function row(version) {
    const tr = document.createElement('tr');
    tr.dataset.version = version.version;
    if (version.version === highlight) { tr.className = 'fresh'; }
    const isDeployed = version.version === deployed.version;
    [String(version.version) + (isDeployed ? ' (deployed)' : ''), version.createdBy, when(version.createdAt), shortHash(version.versionHash),
      version.note || (version.forced ? 'saved with failing tests' : '')].forEach((value) => consoleApi.cell(tr, value));
    tr.cells[3].title = version.versionHash;
    const actions = consoleApi.cell(tr, '');
    const labelled = (label, onClick) => {
      const button = consoleApi.button(label, onClick, 'link');
      button.setAttribute('aria-label', `${label}: version ${version.version} of ${deployed.id}`);
      return button;
    };
    actions.append(labelled('Diff with deployed', () => showDiff(version, 'deployed')), ' ', labelled('Diff with my draft', () => showDiff(version, 'draft')));
    if (!isDeployed) { actions.append(' ', labelled('Roll back to this…', () => openRollback(version))); }
    return tr;
  }

  async function showDiff(version, against) {
    const response = await consoleApi.call('GET', `/rules/${encodeURIComponent(deployed.id)}/versions/${version.version}/diff?against=${against}`);
    $('versions-diff').hidden = false;
    if (response.status !== 200) {
      $('versions-diff-heading').textContent = `No diff: ${problem(response)}`;
      $('versions-diff-text').textContent = '';
      return;
    }
    $('versions-diff-heading').textContent = `${deployed.id}: version ${version.version} → ${response.body.to}` + (response.body.same ? ' (the same source)' : '');
    $('versions-diff-text').textContent = response.body.same ? 'No difference.' : response.body.diff;
    $('versions-diff-text').focus();
  }

  async function openRollback(version) {
    rollingBack = version;
    const response = await consoleApi.call('GET', `/rules/${encodeURIComponent(deployed.id)}/diff?from=${deployed.version}&to=${version.version}`);
    $('rollback-heading').textContent = `Roll ${deployed.id} back to version ${version.version}?`;
    $('rollback-summary').textContent = `The deployed version ${deployed.version} (${shortHash(deployed.versionHash)}) is replaced, for every login from now on, by a new version ` +
      `holding the source and test cases of version ${version.version} (${shortHash(version.versionHash)}, saved by ${version.createdBy} at ${when(version.createdAt)}). ` +
      'Its test cases run first; if one fails, nothing changes.';
    $('rollback-diff').textContent = response.status === 200 ? (response.body.diff || 'The source is the same; only the test cases may change.') : `No diff: ${problem(response)}`;
    $('rollback-failures').hidden = true;
    $('rollback-force').checked = false;
    $('rollback-force').parentElement.hidden = true;
    $('rollback-error').textContent = '';
    $('rollback-dialog').showModal();
    $('rollback-cancel').focus();
  }

  async function confirmRollback() {
    const response = await consoleApi.call('POST', `/rules/${encodeURIComponent(deployed.id)}/rollback`, { version: rollingBack.version, force: $('rollback-force').checked });
    if (response.status === 422 && response.body.tests) {
      const failed = response.body.tests.results.filter((result) => !result.passed);
      $('rollback-failures').tBodies[0].replaceChildren(...failed.map((result) => {
        const tr = document.createElement('tr');
        consoleApi.cell(tr, result.name);
        consoleApi.cell(tr, result.differences.join('; '));
        return tr;
      }));
      $('rollback-failures').hidden = false;
      $('rollback-force').parentElement.hidden = false;
      $('rollback-error').textContent = `Nothing was rolled back: ${response.body.tests.failed} of ${response.body.tests.cases} test cases of version ${rollingBack.version} fail.`;
      return;
    }
    if (response.status !== 200) {
      $('rollback-error').textContent = `Nothing was rolled back: ${problem(response)}`;
      return;
    }
    $('rollback-dialog').close();
    highlight = response.body.rule.version;
    await loadRules();
    $('versions-status').textContent = `Rolled back: ${deployed.id} is now version ${response.body.rule.version}, with the source of version ${rollingBack.version}.`;
    consoleApi.reloadDraft();
    $('versions-rule').focus();
  }

  $('versions-rule').addEventListener('change', () => { highlight = null; loadVersions(); });
  $('rollback-confirm').addEventListener('click', confirmRollback);
  $('rollback-cancel').addEventListener('click', () => $('rollback-dialog').close());
  views.onShow('versions-view', loadRules);
}());
